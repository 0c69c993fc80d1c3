// Answer values cross from the sandbox to the grader as data only: JSON, with typed arrays as base64.

export type EncodedValue =
  | { kind: "tensor"; dtype: string; dims: number[]; data: string }
  | { kind: "typed-array"; dtype: string; data: string }
  | { kind: "json"; value: unknown }
  | { kind: "unsupported"; description: string };

const TYPED: Record<string, new (buffer: ArrayBuffer) => ArrayLike<number | bigint>> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

function dtypeOf(a: ArrayBufferView): string | undefined {
  const name = a.constructor.name;
  const found = Object.entries(TYPED).find(([, ctor]) => ctor.name === name);
  return found?.[0];
}

function toBase64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

interface TensorLike {
  type: string;
  dims: number[];
  data: ArrayBufferView;
}

function isTensorLike(v: unknown): v is TensorLike {
  const t = v as TensorLike;
  return typeof v === "object" && v !== null && typeof t.type === "string" && Array.isArray(t.dims) && ArrayBuffer.isView(t.data);
}

/** Runs in the sandbox. Never throws: anything it cannot carry is described instead. */
export function encodeValue(v: unknown): EncodedValue {
  try {
    if (isTensorLike(v)) {
      const dtype = dtypeOf(v.data);
      if (dtype) return { kind: "tensor", dtype, dims: v.dims.map(Number), data: toBase64(v.data) };
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const dtype = dtypeOf(v);
      if (dtype) return { kind: "typed-array", dtype, data: toBase64(v) };
    }
    const text = JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === "bigint") return Number(x);
      if (isTensorLike(x)) throw new Error("nested tensor");
      return x;
    });
    if (text === undefined) return { kind: "unsupported", description: typeof v };
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch {
    return { kind: "unsupported", description: Object.prototype.toString.call(v) };
  }
}

export interface DecodedTensor {
  dtype: string;
  dims: number[];
  data: ArrayLike<number | bigint>;
}

function fromBase64(dtype: string, data: string): ArrayLike<number | bigint> {
  const Ctor = TYPED[dtype];
  if (!Ctor) throw new Error(`unknown dtype ${dtype}`);
  const bytes = Buffer.from(data, "base64");
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}

/** Runs in the grader: rebuilds plain data; tensors become { dtype, dims, data }. */
export function decodeValue(e: EncodedValue): unknown {
  switch (e.kind) {
    case "tensor":
      return { dtype: e.dtype, dims: e.dims, data: fromBase64(e.dtype, e.data) } satisfies DecodedTensor;
    case "typed-array":
      return fromBase64(e.dtype, e.data);
    case "json":
      return e.value;
    case "unsupported":
      throw new Error(`a value of type ${e.description} that the grader cannot read`);
  }
}
