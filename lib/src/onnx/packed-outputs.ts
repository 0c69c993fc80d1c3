// onnxruntime-node copies every graph output into a new JavaScript buffer with a fixed cost of a few microseconds
// each, which for ~50 module-boundary values of a small model costs a third of the model's own compute. Packed
// into one flat output per element type (Reshape to [-1], Concat), with their shapes in one int64 output (Shape,
// Concat) unless they are known, the values cross over in one or two copies, and the hooks get views into them.
import type onnxProto from "onnx-proto";
import { onnx } from "./proto.js";
import { knownElemType } from "../to-tensor.js";
import { type ModelProto, copyModel } from "./graph-io.js";

const INT64 = onnx.TensorProto.DataType.INT64;

export const SHAPES = "courseware_packed_shapes";
const packedName = (type: string) => `courseware_packed_${type}`;

/** A value as onnxruntime returns it; views into a packed output have the same fields. */
export interface RawTensor {
  type: string;
  data: ArrayLike<number | bigint> & { subarray(begin: number, end: number): unknown };
  dims: readonly number[];
}

/** The values to pack, grouped by element type, with the rank of each (learnt from one ordinary run). */
export interface Packing {
  groups: Array<{ type: string; names: string[] }>;
  rank: Map<string, number>;
}

/** Groups the values of one ordinary run for packing; null when a value's type cannot be packed. */
export function packingOf(names: string[], results: Record<string, RawTensor>): Packing | null {
  const groups = new Map<string, string[]>();
  const rank = new Map<string, number>();
  for (const n of names) {
    const t = results[n];
    if (!t || knownElemType(t.type) === undefined) return null;
    (groups.get(t.type) ?? groups.set(t.type, []).get(t.type)!).push(n);
    rank.set(n, t.dims.length);
  }
  return { groups: [...groups].map(([type, names]) => ({ type, names })), rank };
}

/**
 * A copy of the model that also outputs the packed values and, with `shapes`, their shapes (its own outputs
 * unchanged). Without, the shapes must be known from an earlier run on inputs of the same shapes.
 */
export function withPackedOutputs(model: ModelProto, packing: Packing, shapes: boolean): Uint8Array {
  const copy = copyModel(model);
  const graph = copy.graph!;
  const nodes = (graph.node ??= []);
  const outputs = (graph.output ??= []);
  const flatShape = "courseware_packed_minus_one";
  (graph.initializer ??= []).push(onnx.TensorProto.create({ name: flatShape, dataType: INT64, dims: [1], int64Data: [-1] }));
  const shapeValues: string[] = [];
  let k = 0;
  for (const { type, names } of packing.groups) {
    const flat = names.map((n) => {
      const i = k++;
      nodes.push(onnx.NodeProto.create({ name: `/courseware_pack/Reshape_${i}`, opType: "Reshape", input: [n, flatShape], output: [`courseware_flat_${i}`] }));
      if (shapes) nodes.push(onnx.NodeProto.create({ name: `/courseware_pack/Shape_${i}`, opType: "Shape", input: [n], output: [`courseware_shape_${i}`] }));
      shapeValues.push(`courseware_shape_${i}`);
      return `courseware_flat_${i}`;
    });
    nodes.push(onnx.NodeProto.create({ name: `/courseware_pack/Concat_${type}`, opType: "Concat", input: flat, output: [packedName(type)], attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }));
    outputs.push(onnx.ValueInfoProto.create({ name: packedName(type), type: { tensorType: { elemType: knownElemType(type)! } } }));
  }
  if (shapes) {
    nodes.push(onnx.NodeProto.create({ name: "/courseware_pack/Concat_shapes", opType: "Concat", input: shapeValues, output: [SHAPES], attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }));
    outputs.push(onnx.ValueInfoProto.create({ name: SHAPES, type: { tensorType: { elemType: INT64 } } }));
  }
  return onnx.ModelProto.encode(copy).finish();
}

/** The names `withPackedOutputs` adds, to fetch. */
export function packedOutputs(packing: Packing, shapes: boolean): string[] {
  return [...packing.groups.map((g) => packedName(g.type)), ...(shapes ? [SHAPES] : [])];
}

/**
 * Each packed value as a view into its group's output, with the shapes read from the run or, when it did not
 * output them, taken from `known` (the `dims` of an earlier unpack of inputs of the same shapes).
 */
export function unpack(results: Record<string, RawTensor>, packing: Packing, known?: number[][]): { values: Record<string, RawTensor>; dims: number[][] } {
  const values: Record<string, RawTensor> = {};
  const all: number[][] = [];
  const shapes = known ? null : (results[SHAPES]!.data as BigInt64Array);
  let s = 0;
  for (const { type, names } of packing.groups) {
    const packed = results[packedName(type)]!.data;
    let offset = 0;
    for (const n of names) {
      let dims: number[];
      if (shapes) {
        dims = new Array<number>(packing.rank.get(n)!);
        for (let d = 0; d < dims.length; d++) dims[d] = Number(shapes[s++]);
      } else dims = known![all.length]!;
      all.push(dims);
      let size = 1;
      for (const d of dims) size *= d;
      values[n] = { type, dims, data: packed.subarray(offset, offset + size) as RawTensor["data"] };
      offset += size;
    }
    if (offset !== packed.length) throw new Error(`Packed ${type} values: ${offset} of ${packed.length} elements accounted for.`);
  }
  if (shapes && s !== shapes.length) throw new Error(`Packed shapes: ${s} of ${shapes.length} dimensions accounted for.`);
  return { values, dims: all };
}
