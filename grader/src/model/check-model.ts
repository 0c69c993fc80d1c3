import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadModel } from "@courseware/lib";
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

export class ModelCheckError extends Error {
  override name = "ModelCheckError";
}

function readJson(dir: string, file: string): Record<string, unknown> {
  const path = join(dir, file);
  if (!existsSync(path)) throw new ModelCheckError(`${path} is missing.`);
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new ModelCheckError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Checks an ONNX file's inputs and outputs against the layout transformers.js needs for a causal LM. */
function checkGraph(path: string): string {
  let model;
  try {
    model = onnx.ModelProto.decode(readFileSync(path));
  } catch (e) {
    throw new ModelCheckError(`${path} is not a readable ONNX model: ${(e as Error).message}`);
  }
  const inputs = (model.graph?.input ?? []).map((v) => v.name!);
  const outputs = (model.graph?.output ?? []).map((v) => v.name!);
  for (const name of ["input_ids", "attention_mask"]) {
    if (!inputs.includes(name)) throw new ModelCheckError(`${path} has no input "${name}" (inputs: ${inputs.join(", ")}).`);
  }
  if (!outputs.includes("logits")) throw new ModelCheckError(`${path} has no output "logits" (outputs: ${outputs.join(", ")}).`);
  const past = inputs.filter((n) => n.startsWith("past_key_values."));
  for (const p of past) {
    const present = p.replace("past_key_values.", "present.");
    if (!outputs.includes(present)) throw new ModelCheckError(`${path} takes ${p} but gives no ${present}.`);
  }
  const scoped = (model.graph?.node ?? []).filter((n) => (n.name ?? "").startsWith("/")).length;
  return `${path}: ${model.graph?.node?.length ?? 0} nodes (${scoped} with module scopes), ${past.length / 2} cached layers`;
}

export interface CheckResult {
  lines: string[];
}

/** Loads a model folder offline and shows it works: files, graph layout, module tree, a greedy generation. */
export async function checkModel(dirArg: string, prompt = "A language model is"): Promise<CheckResult> {
  const dir = resolve(dirArg);
  if (!existsSync(dir)) throw new ModelCheckError(`No model folder at ${dir}.`);
  const lines: string[] = [];
  const config = readJson(dir, "config.json");
  if (typeof config["model_type"] !== "string") throw new ModelCheckError(`${join(dir, "config.json")} has no "model_type".`);
  readJson(dir, "tokenizer.json");
  readJson(dir, "tokenizer_config.json");
  const dtypes = (["fp32", "q8"] as const).filter((d) => existsSync(join(dir, d === "fp32" ? "onnx/model.onnx" : "onnx/model_quantized.onnx")));
  if (!dtypes.includes("fp32")) throw new ModelCheckError(`${join(dir, "onnx/model.onnx")} is missing.`);
  for (const dtype of dtypes) {
    lines.push(checkGraph(join(dir, dtype === "fp32" ? "onnx/model.onnx" : "onnx/model_quantized.onnx")));
    let loaded;
    try {
      loaded = await loadModel({ model: dir, dtype });
    } catch (e) {
      throw new ModelCheckError(`The ${dtype} model does not load: ${(e as Error).message}`);
    }
    const { tokenizer, model } = loaded;
    if (dtype === dtypes[0]) lines.push(String(model));
    const ids = (await model.generate({ ...tokenizer(prompt), max_new_tokens: 8, do_sample: false })) as { tolist(): unknown };
    const text = tokenizer.batch_decode(ids.tolist() as number[][], { skip_special_tokens: true })[0];
    lines.push(`${dtype}: ${model.modules().length} modules; greedy: ${JSON.stringify(text)}`);
  }
  return { lines };
}
