import { Tensor } from "@courseware/lib";
import type { DecodedTensor } from "./values.js";

/** A numeric array of any shape, flattened, as the tests see it. */
export interface NumericTensor {
  dims: number[];
  data: number[];
}

/** The values a submission handed over, as the test cells receive them. */
export class Answers {
  constructor(
    private readonly values: Map<string, unknown>,
    private readonly problems: Map<string, string>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): unknown {
    if (!this.values.has(name)) throw new Error(this.problems.get(name) ?? `\`${name}\` is not defined in the notebook.`);
    return this.values.get(name);
  }

  /**
   * The value as test cells see it: a tensor becomes a transformers.js Tensor (as in the student's kernel), other
   * values stay as they are; undefined when the notebook did not set it.
   */
  value(name: string): unknown {
    if (!this.values.has(name)) return undefined;
    return asKernelValue(this.values.get(name));
  }

  /** The answer as a numeric tensor: a tensor, a typed array or (nested) arrays of numbers are accepted. */
  tensor(name: string): NumericTensor {
    const v = this.get(name);
    const t = asNumericTensor(v);
    if (!t) throw new Error(`\`${name}\` should be a tensor or a (nested) array of numbers.`);
    return t;
  }
}

/**
 * A decoded value as code in the kernel had it: tensors (also inside arrays and plain objects) become transformers.js
 * Tensors; everything else stays as it is.
 */
export function asKernelValue(v: unknown): unknown {
  if (isDecodedTensor(v)) return new Tensor(v.dtype as never, v.data as never, v.dims);
  if (Array.isArray(v)) return v.map(asKernelValue);
  if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asKernelValue(x)]));
  return v;
}

function isDecodedTensor(v: unknown): v is DecodedTensor {
  const t = v as DecodedTensor;
  return typeof v === "object" && v !== null && typeof t.dtype === "string" && Array.isArray(t.dims) && t.data !== undefined;
}

export function asNumericTensor(v: unknown): NumericTensor | null {
  if (isDecodedTensor(v)) return { dims: v.dims, data: Array.from(v.data, Number) };
  if (ArrayBuffer.isView(v)) return { dims: [(v as unknown as ArrayLike<number>).length], data: Array.from(v as unknown as ArrayLike<number>, Number) };
  if (Array.isArray(v)) {
    const dims: number[] = [];
    let level: unknown = v;
    while (Array.isArray(level)) {
      dims.push(level.length);
      level = level[0];
    }
    const data = (v as unknown[]).flat(Infinity);
    if (data.length !== dims.reduce((a, b) => a * b, 1) || !data.every((x) => typeof x === "number")) return null;
    return { dims, data: data as number[] };
  }
  return null;
}
