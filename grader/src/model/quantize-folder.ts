import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { type QuantizeMode, type QuantizeReport, quantizeModel } from "./quantize.js";

export function quantizeFolder(dirArg: string, mode: QuantizeMode = "weights"): { output: string; report: QuantizeReport } {
  const dir = resolve(dirArg);
  const input = join(dir, "onnx", "model.onnx");
  if (!existsSync(input)) throw new UsageError(`No fp32 model at ${input}; give a model folder with onnx/model.onnx.`);
  const { bytes, report } = quantizeModel(readFileSync(input), mode);
  const output = join(dir, "onnx", "model_quantized.onnx");
  writeFileSync(output, bytes);
  return { output, report };
}
