// Reads an initializer's numbers, whichever field the exporter stored them in.
import type onnxProto from "onnx-proto";
import { onnx } from "./proto.js";

type TensorProto = onnxProto.onnx.ITensorProto;
const { DataType } = onnx.TensorProto;

function copy(raw: Uint8Array): ArrayBuffer {
  return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
}

/** An IEEE float16 bit pattern as a number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The tensor's values as numbers (float16/bfloat16 widened to float32). */
export function tensorValues(t: TensorProto): Float32Array | Int8Array | Uint8Array {
  const raw = t.rawData && t.rawData.byteLength > 0 ? t.rawData : null;
  switch (t.dataType) {
    case DataType.FLOAT:
      return raw ? new Float32Array(copy(raw)) : Float32Array.from(t.floatData ?? []);
    case DataType.INT8:
      return raw ? new Int8Array(copy(raw)) : Int8Array.from(t.int32Data ?? []);
    case DataType.UINT8:
      return raw ? new Uint8Array(copy(raw)) : Uint8Array.from(t.int32Data ?? []);
    case DataType.FLOAT16:
    case DataType.BFLOAT16: {
      const bits = raw ? new Uint16Array(copy(raw)) : Uint16Array.from(t.int32Data ?? []);
      const bf16 = t.dataType === DataType.BFLOAT16;
      return Float32Array.from(bits, (b) => (bf16 ? new Float32Array(new Uint32Array([b << 16]).buffer)[0]! : halfToFloat(b)));
    }
    default:
      throw new Error(`Reading tensors of ONNX data type ${t.dataType} is not supported.`);
  }
}
