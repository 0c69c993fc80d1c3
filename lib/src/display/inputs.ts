// Turning what students pass to the charts (nested arrays or Tensors) into plain numbers, with errors that say
// what was wrong and how to fix it.
import { elementReader, isNumericType, isTensorLike, numel, toNumber, type TensorLike } from "./tensor.js";

/** Drops leading dimensions of size 1 while more than `rank` dimensions are left: [1, 1, 5, 5] → [5, 5]. */
function squeezeLeading(dims: readonly number[], rank: number): number[] {
  const d = [...dims];
  while (d.length > rank && d[0] === 1) d.shift();
  return d;
}

function tensorNumbers(fn: string, t: TensorLike): number[] {
  if (!isNumericType(t.type)) throw new TypeError(`${fn}: expected a numeric Tensor, got one of type ${t.type}.`);
  const get = elementReader(t);
  return Array.from({ length: numel(t.dims) }, (_, i) => toNumber(get(i)));
}

/** A rectangular matrix of numbers (NaN and ±Infinity kept: the charts mark them). */
export function toMatrix(fn: string, value: unknown): number[][] {
  if (isTensorLike(value)) {
    const dims = squeezeLeading(value.dims, 2);
    if (dims.length !== 2) {
      throw new TypeError(
        `${fn}: expected a 2-D matrix, got a Tensor of shape [${value.dims.join(", ")}]. ` +
          `Pick one matrix first, e.g. attentions[0][head] for one head's attention pattern.`,
      );
    }
    const flat = tensorNumbers(fn, value);
    const [r, c] = dims as [number, number];
    return Array.from({ length: r }, (_, i) => flat.slice(i * c, (i + 1) * c));
  }
  if (!Array.isArray(value)) throw new TypeError(`${fn}: expected a matrix (number[][] or a 2-D Tensor), got ${describe(value)}.`);
  if (value.length === 0) throw new RangeError(`${fn}: the matrix is empty.`);
  const rows = value.map((row, i) => {
    if (isTensorLike(row)) row = tensorNumbers(fn, row);
    if (!Array.isArray(row)) throw new TypeError(`${fn}: row ${i} is ${describe(row)}, not an array of numbers.`);
    return row as unknown[];
  });
  const width = rows[0]!.length;
  if (width === 0) throw new RangeError(`${fn}: the matrix has empty rows.`);
  rows.forEach((row, i) => {
    if (row.length !== width) throw new RangeError(`${fn}: ragged matrix: row 0 has ${width} values but row ${i} has ${row.length}.`);
    row.forEach((x, j) => {
      if (typeof x !== "number") throw new TypeError(`${fn}: the value at [${i}][${j}] is ${describe(x)}, not a number.`);
    });
  });
  return rows as number[][];
}

/** A vector of numbers from number[] or a Tensor with one dimension left after dropping leading 1s. */
export function toVector(fn: string, value: unknown, hint = ""): number[] {
  if (isTensorLike(value)) {
    const dims = squeezeLeading(value.dims, 1);
    if (dims.length !== 1) {
      throw new TypeError(`${fn}: expected a 1-D vector, got a Tensor of shape [${value.dims.join(", ")}].${hint ? " " + hint : ""}`);
    }
    return tensorNumbers(fn, value);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  if (!Array.isArray(value)) throw new TypeError(`${fn}: expected an array of numbers or a Tensor, got ${describe(value)}.`);
  value.forEach((x, i) => {
    if (typeof x !== "number") throw new TypeError(`${fn}: the value at [${i}] is ${describe(x)}, not a number.${Array.isArray(x) && hint ? " " + hint : ""}`);
  });
  return value as number[];
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  if (typeof v === "object") return `an object (${(v as object).constructor?.name ?? "Object"})`;
  return `${typeof v} ${String(v)}`;
}
