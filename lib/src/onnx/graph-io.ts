import { readFileSync } from "node:fs";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;

export function readModelProto(path: string): ModelProto {
  try {
    return onnx.ModelProto.decode(readFileSync(path));
  } catch (e) {
    throw new Error(`${path} is not a readable ONNX model: ${(e as Error).message}`);
  }
}

/** A copy of the model whose graph also outputs `names` (ORT needs no type information for extra outputs). */
export function withExtraOutputs(model: ModelProto, names: string[]): Uint8Array {
  const copy = onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
  const graph = copy.graph!;
  const outputs = (graph.output ??= []);
  const existing = new Set([...outputs.map((o) => o.name), ...(graph.input ?? []).map((i) => i.name)]);
  for (const n of names) if (!existing.has(n)) outputs.push(onnx.ValueInfoProto.create({ name: n }));
  return onnx.ModelProto.encode(copy).finish();
}

/** The part of the graph that computes a module's outputs from its inputs, as a model of its own. */
export function extractSubgraph(model: ModelProto, modulePath: string, inputs: string[], outputs: string[]): Uint8Array {
  const graph = model.graph!;
  const within = (nodeName: string) => {
    const path = nodeName.split("/").filter(Boolean).slice(0, -1).join(".");
    return modulePath === "" || path === modulePath || path.startsWith(modulePath + ".");
  };
  const all = graph.node ?? [];
  const nodes = all.filter((n) => within(n.name ?? "") && n.opType !== "Constant");
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  const constants = all.filter((n) => n.opType === "Constant" && (n.output ?? []).some((o) => used.has(o)));
  const known = new Map([...(graph.input ?? []), ...(graph.valueInfo ?? [])].map((v) => [v.name, v]));
  const sub = onnx.ModelProto.create({
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    graph: {
      name: `${modulePath || "root"}_forward`,
      node: [...constants, ...nodes],
      initializer: (graph.initializer ?? []).filter((t) => used.has(t.name ?? "")),
      // element type only: a module may be called on inputs of another rank (token ids [n] instead of [batch, n])
      input: inputs.map((name) =>
        onnx.ValueInfoProto.create({
          name,
          type: { tensorType: { elemType: known.get(name)?.type?.tensorType?.elemType ?? onnx.TensorProto.DataType.FLOAT } },
        }),
      ),
      output: outputs.map((name) => onnx.ValueInfoProto.create({ name })),
    },
  });
  return onnx.ModelProto.encode(sub).finish();
}
