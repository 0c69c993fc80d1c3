// Values cross from the sandbox (answers) and from the reference process to the grader as data only: JSON, with
// typed arrays as base64, and arrays or plain objects that hold tensors as a structure of encoded values.

export type EncodedValue =
  | { kind: "tensor"; dtype: string; dims: number[]; data: string }
  | { kind: "typed-array"; dtype: string; data: string }
  | { kind: "json"; value: unknown }
  | { kind: "array"; items: EncodedValue[] }
  | { kind: "object"; entries: Record<string, EncodedValue> }
  | { kind: "unsupported"; description: string };

/** How deep arrays and objects holding tensors may nest (a cycle or a deep structure is not carried). */
const MAX_DEPTH = 16;

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

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** What JSON would drop or change without a word: functions, symbols, undefined members, Maps, class instances. */
const notData = (x: unknown) =>
  typeof x === "function" || typeof x === "symbol" || x === undefined || (typeof x === "object" && x !== null && !Array.isArray(x) && !isPlainObject(x));

/**
 * Runs in the sandbox (and the reference process). Never throws: anything it cannot carry is described instead.
 * `strict` (reference values): what JSON would silently drop or flatten is "unsupported" too.
 */
export function encodeValue(v: unknown, depth = 0, strict = false): EncodedValue {
  try {
    if (isTensorLike(v)) {
      const dtype = dtypeOf(v.data);
      if (dtype) return { kind: "tensor", dtype, dims: v.dims.map(Number), data: toBase64(v.data) };
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const dtype = dtypeOf(v);
      if (dtype) return { kind: "typed-array", dtype, data: toBase64(v) };
    }
    if (strict && notData(v) && !(ArrayBuffer.isView(v) || isTensorLike(v))) return { kind: "unsupported", description: typeof v === "object" ? Object.prototype.toString.call(v) : typeof v };
    const text = JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === "bigint") return Number(x);
      if (strict && notData(x)) throw new Error("not data");
      if (isTensorLike(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))) throw new Error("nested tensor");
      return x;
    });
    if (text === undefined) return { kind: "unsupported", description: typeof v };
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch {
    // arrays and plain objects that hold tensors are carried as a structure
    if (depth < MAX_DEPTH && Array.isArray(v)) return { kind: "array", items: v.map((x) => encodeValue(x, depth + 1, strict)) };
    if (depth < MAX_DEPTH && isPlainObject(v)) return { kind: "object", entries: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x, depth + 1, strict)])) };
    return { kind: "unsupported", description: Object.prototype.toString.call(v) };
  }
}

/** The typed array a tensor or typed array crossed as. */
export function fromBase64(dtype: string, data: string): ArrayLike<number | bigint> {
  const Ctor = TYPED[dtype];
  if (!Ctor) throw new Error(`unknown dtype ${dtype}`);
  const bytes = Buffer.from(data, "base64");
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}
