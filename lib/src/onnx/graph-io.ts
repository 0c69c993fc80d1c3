import { readFileSync } from "node:fs";
import type onnxProto from "onnx-proto";
import { onnx } from "./proto.js";
import { inside, modulePathOf } from "./module-graph.js";

export type ModelProto = onnxProto.onnx.ModelProto;

export function readModelProto(path: string): ModelProto {
  try {
    return onnx.ModelProto.decode(readFileSync(path));
  } catch (e) {
    throw new Error(`${path} is not a readable ONNX model: ${(e as Error).message}`);
  }
}

/** A deep copy of the model, to change. */
export function copyModel(model: ModelProto): ModelProto {
  return onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
}

/** A copy of the model whose graph also outputs `names` (ORT needs no type information for extra outputs). */
export function withExtraOutputs(model: ModelProto, names: string[]): Uint8Array {
  const copy = copyModel(model);
  const graph = copy.graph!;
  const outputs = (graph.output ??= []);
  const existing = new Set([...outputs.map((o) => o.name), ...(graph.input ?? []).map((i) => i.name)]);
  for (const n of names) if (!existing.has(n)) outputs.push(onnx.ValueInfoProto.create({ name: n }));
  return onnx.ModelProto.encode(copy).finish();
}

/** The part of the graph that computes a module's outputs from its inputs, as a model of its own. */
export function extractSubgraph(model: ModelProto, modulePath: string, inputs: string[], outputs: string[]): Uint8Array {
  const graph = model.graph!;
  const all = graph.node ?? [];
  const nodes = all.filter((n) => inside(modulePath, modulePathOf(n.name ?? "")) && n.opType !== "Constant");
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

/** A value replaced for some of its consumers: nodes inside `scope` ("input") or outside it ("output"). */
export interface Cut {
  value: string;
  scope: string;
  kind: "input" | "output";
  /** The graph input that carries the replacement. */
  input: string;
  /** ONNX element type of the replacement. */
  elemType: number;
}

/** Whether a cut reaches a consumer at module path `path` (a graph output is outside every module). */
export function cutApplies(cut: Pick<Cut, "scope" | "kind">, path: string | null): boolean {
  if (path === null) return cut.kind === "output";
  return cut.kind === "input" ? inside(cut.scope, path) : !inside(cut.scope, path);
}

/**
 * The model with each cut value fed from a new graph input to the consumers the cut reaches (the last cut wins
 * where several reach one), pruned to the nodes that `fetch` needs. The graph's own inputs all stay declared.
 */
export function withCuts(model: ModelProto, cuts: Cut[], fetch: string[]): Uint8Array {
  const graph = model.graph!;
  const byValue = new Map<string, Cut[]>();
  for (const c of cuts) (byValue.get(c.value) ?? byValue.set(c.value, []).get(c.value)!).push(c);
  const rewired = (graph.node ?? []).map((node) => {
    const path = modulePathOf(node.name ?? "");
    const inputs = (node.input ?? []).map((v) => {
      const reaching = byValue.get(v)?.filter((c) => cutApplies(c, path));
      return reaching?.length ? reaching.at(-1)!.input : v;
    });
    return inputs.some((v, i) => v !== node.input![i]) ? onnx.NodeProto.create({ ...node, input: inputs }) : node;
  });
  const needed = new Set(fetch);
  const kept: typeof rewired = [];
  for (let i = rewired.length - 1; i >= 0; i--) {
    const node = rewired[i]!;
    if (!(node.output ?? []).some((o) => needed.has(o))) continue;
    kept.push(node);
    for (const v of node.input ?? []) needed.add(v);
  }
  kept.reverse();
  const outputsByName = new Map((graph.output ?? []).map((o) => [o.name, o]));
  const cutInputs = [...new Map(cuts.map((c) => [c.input, c])).values()].map((c) =>
    onnx.ValueInfoProto.create({ name: c.input, type: { tensorType: { elemType: c.elemType } } }),
  );
  const sub = onnx.ModelProto.create({
    irVersion: model.irVersion,
    opsetImport: model.opsetImport,
    graph: {
      name: `${graph.name ?? "graph"}_cut`,
      node: kept,
      initializer: (graph.initializer ?? []).filter((t) => needed.has(t.name ?? "")),
      input: [...(graph.input ?? []), ...cutInputs],
      output: fetch.map((name) => outputsByName.get(name) ?? onnx.ValueInfoProto.create({ name })),
    },
  });
  return onnx.ModelProto.encode(sub).finish();
}
