import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { AutoModelForCausalLM, AutoTokenizer, env } from "./transformers.js";
import { CausalLM, type Dtype } from "./causal-lm.js";
import { resolveModelDir } from "./model-cache.js";
import { readModelProto } from "./onnx/graph-io.js";
import { sessionOptions } from "./onnx/sibling-session.js";

export interface LoadModelOptions {
  /** A folder name in the model cache, or a path to a model folder. Default: $COURSEWARE_MODEL or DEFAULT_MODEL. */
  model?: string;
  /** "q8" (8-bit weights, the default when the folder has onnx/model_quantized.onnx) or "fp32". */
  dtype?: Dtype;
  /** Where named models are looked up. Default: modelCacheDir(). */
  cacheDir?: string;
}

const FILES: Record<Dtype, string> = { fp32: "onnx/model.onnx", q8: "onnx/model_quantized.onnx" };

/** Loads a tokenizer and a causal language model from the local model cache; nothing is downloaded. */
export async function loadModel(options: LoadModelOptions = {}): Promise<{ tokenizer: PreTrainedTokenizer; model: CausalLM }> {
  const dir = resolveModelDir(options.model, options.cacheDir);
  const dtype: Dtype = options.dtype ?? (existsSync(join(dir, FILES.q8)) ? "q8" : "fp32");
  if (!FILES[dtype]) throw new Error(`Unknown dtype "${dtype}"; use "q8" or "fp32".`);
  const file = join(dir, FILES[dtype]);
  if (!existsSync(file)) throw new Error(`The model folder ${dir} has no ${FILES[dtype]} for dtype "${dtype}"; try dtype "fp32".`);

  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(dir) + "/";
  const id = basename(dir);
  const tokenizer = await AutoTokenizer.from_pretrained(id, { local_files_only: true });
  const hf = await AutoModelForCausalLM.from_pretrained(id, { dtype, local_files_only: true, session_options: sessionOptions() });
  return { tokenizer, model: new CausalLM(hf, readModelProto(file), dtype, dir) };
}
