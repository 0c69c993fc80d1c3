// Finds each module's parameters among the graph's initializers: the weight tensors its nodes read, directly or
// through a Transpose, Cast or DequantizeLinear. Shapes are given in PyTorch's layout: torch.onnx.export stores a
// Linear weight either as PyTorch's [out, in] behind a Transpose, or pre-transposed as [in, out] feeding MatMul.
import type onnxProto from "onnx-proto";
import { onnx } from "./proto.js";
import { modulePathOf } from "./module-graph.js";

type Graph = onnxProto.onnx.IGraphProto;
type TensorProto = onnxProto.onnx.ITensorProto;
const { DataType } = onnx.TensorProto;

export interface ParameterInfo {
  /** Local name ("weight", "bias"). */
  name: string;
  /** The module that owns it ("" for the root). */
  module: string;
  /** PyTorch's shape. */
  shape: number[];
  /** Element type as stored: "float32", "int8", ... */
  dtype: string;
  /** @internal */ tensor: TensorProto;
  /** @internal stored as [in, out]: PyTorch's tensor is the transpose. */ transposed: boolean;
  /** @internal per-channel scales of an 8-bit tensor, and the stored axis they run along. */
  scale?: { tensor: TensorProto; axis: number; zero?: TensorProto };
}

const DTYPES: Record<number, string> = {
  [DataType.FLOAT]: "float32",
  [DataType.FLOAT16]: "float16",
  [DataType.BFLOAT16]: "bfloat16",
  [DataType.INT8]: "int8",
  [DataType.UINT8]: "uint8",
};
const PASS_THROUGH = new Set(["Transpose", "Cast", "DequantizeLinear"]);
const MATMUL = new Set(["MatMul", "MatMulInteger"]);
const QUANT_PART = /_(scale|zero|zero_point)$/;
const BUFFER = /(^|\.)inv_freq$|_cached$/;

/**
 * Parameters per module path, in order of first use. `keepsInOut(module)` says that PyTorch itself stores that
 * module's weight as [in, out] (GPT-2's Conv1D), so a weight fed straight into MatMul is not transposed for it.
 */
export function findParameters(graph: Graph, keepsInOut: (module: string) => boolean = () => false): Map<string, ParameterInfo[]> {
  const nodes = (graph.node ?? []).filter((n) => n.opType !== "Constant");
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name!, t]));
  const consumers = new Map<string, Array<{ node: onnxProto.onnx.INodeProto; index: number }>>();
  for (const node of nodes) (node.input ?? []).forEach((v, index) => (consumers.get(v) ?? consumers.set(v, []).get(v)!).push({ node, index }));

  const out = new Map<string, ParameterInfo[]>();
  for (const [name, tensor] of inits) {
    const dtype = DTYPES[tensor.dataType ?? 0];
    const dims = (tensor.dims ?? []).map(Number);
    if (!dtype || dims.length === 0 || dims.reduce((a, b) => a * b, 1) <= 1 || QUANT_PART.test(name) || BUFFER.test(name)) continue;
    const first = consumers.get(name)?.[0];
    if (!first) continue;
    // follow pass-through ops to the op that really uses the weight
    let use = first;
    let transposed = false;
    let scale: ParameterInfo["scale"];
    for (let hops = 0; PASS_THROUGH.has(use.node.opType ?? "") && hops < 4; hops++) {
      if (use.node.opType === "Transpose") transposed = !transposed;
      if (use.node.opType === "DequantizeLinear") {
        const s = inits.get(use.node.input?.[1] ?? "");
        const axis = use.node.attribute?.find((a) => a.name === "axis")?.i;
        const zero = inits.get(use.node.input?.[2] ?? "");
        if (s) scale = { tensor: s, axis: axis === undefined || axis === null ? 1 : Number(axis), ...(zero ? { zero } : {}) };
      }
      const next = consumers.get(use.node.output?.[0] ?? "")?.[0];
      if (!next) break;
      use = next;
    }
    const module = modulePathOf(first.node.name ?? "");
    const flip = MATMUL.has(use.node.opType ?? "") && use.index === 1 && !transposed && !keepsInOut(module);
    if (!scale) {
      const base = name.replace(/_quantized$/, "");
      const rowScale = inits.get(base + "_scale");
      const zero = inits.get(base + "_zero") ?? inits.get(base + "_zero_point");
      if (rowScale && dtype.includes("int8")) scale = { tensor: rowScale, axis: (rowScale.dims ?? []).length === 2 ? 0 : 1, ...(zero ? { zero } : {}) };
    }
    const local = name.startsWith(module ? module + "." : "") ? name.slice(module ? module.length + 1 : 0).replace(/_quantized$/, "") : undefined;
    const list = out.get(module) ?? out.set(module, []).get(module)!;
    const role = local && !local.includes(".") ? local : roleOf(use.node.opType ?? "", list);
    list.push({
      name: role,
      module,
      // a weight fed straight into MatMul's right side is [in, out]; PyTorch's Linear keeps [out, in]
      shape: flip ? [...dims].reverse() : dims,
      dtype,
      tensor,
      transposed: flip,
      ...(scale ? { scale } : {}),
    });
  }
  return out;
}

function roleOf(opType: string, existing: ParameterInfo[]): string {
  const taken = new Set(existing.map((p) => p.name));
  const wanted = opType === "Add" && taken.has("weight") ? "bias" : "weight";
  if (!taken.has(wanted)) return wanted;
  for (let k = 1; ; k++) if (!taken.has(`param_${k}`)) return `param_${k}`;
}
