import { Tensor } from "@huggingface/transformers";

const INT64 = 7;

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
