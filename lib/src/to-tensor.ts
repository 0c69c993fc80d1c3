import { Tensor } from "./transformers.js";

const INT64 = 7;
// onnx.TensorProto.DataType by the Tensor type names transformers.js and onnxruntime use
const ELEM_TYPES: Record<string, number> = { float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11, uint32: 12, uint64: 13 };

/** The ONNX element type of a Tensor type name, if the model can be fed one. */
export function knownElemType(type: string): number | undefined {
  return ELEM_TYPES[type];
}

export function elemTypeOf(type: string): number {
  const t = knownElemType(type);
  if (t === undefined) throw new Error(`Tensors of type ${type} cannot be fed to the model.`);
  return t;
}

/** An onnxruntime tensor as this library's Tensor, sharing its data (the two may come from different ORT copies). */
export function fromOrt(t: unknown): Tensor {
  const o = t as { type: string; data: unknown; dims: readonly number[] };
  return new Tensor(o.type as never, o.data as never, [...o.dims]);
}

function shapeOf(v: unknown): number[] {
  const dims: number[] = [];
  for (let level = v; Array.isArray(level); level = level[0]) dims.push(level.length);
  return dims;
}

/**
 * Turns what a student passes to `module.forward()` into an ONNX Runtime tensor of the input's element type:
 * a Tensor as it is, (nested) arrays of numbers or bigints, or a typed array.
 */
export function toOrtFeed(value: unknown, elemType: number, name: string): unknown {
  if (value instanceof Tensor) return value.ort_tensor;
  let dims: number[];
  let flat: unknown[];
  if (ArrayBuffer.isView(value)) {
    flat = Array.from(value as unknown as ArrayLike<number | bigint>);
    dims = [flat.length];
  } else if (Array.isArray(value)) {
    dims = shapeOf(value);
    flat = value.flat(Infinity);
    if (flat.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`The value for ${name} is a ragged array; give every row the same length.`);
  } else {
    throw new TypeError(`The value for ${name} should be a Tensor or an array of numbers, not ${typeof value}.`);
  }
  if (!flat.every((x) => typeof x === "number" || typeof x === "bigint")) throw new TypeError(`The value for ${name} should contain only numbers.`);
  const tensor =
    elemType === INT64
      ? new Tensor("int64", BigInt64Array.from(flat, (x) => BigInt(x as number)), dims)
      : new Tensor("float32", Float32Array.from(flat, Number), dims);
  return tensor.ort_tensor;
}
