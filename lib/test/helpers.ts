import { fileURLToPath } from "node:url";
import { type CausalLM, type PreTrainedTokenizer, loadModel } from "../src/index.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const TINY = `${ROOT}model-cache/phi3-tiny-random`;

let loaded: Promise<{ tokenizer: PreTrainedTokenizer; model: CausalLM }> | null = null;
/** The random-weight fixture, loaded once per test file. */
export function tiny() {
  return (loaded ??= loadModel({ model: TINY, dtype: "fp32" }));
}
