export { loadModel, type LoadModelOptions } from "./load-model.js";
export { CausalLM, type Dtype } from "./causal-lm.js";
export { Module, type ForwardHook, type HookCall, type HookHandle } from "./module.js";
export { DEFAULT_MODEL, ModelNotFoundError, modelCacheDir, resolveModelDir } from "./model-cache.js";
export { Figure, emit, type MimeBundle } from "./display/figure.js";
export { playground, type PlaygroundOptions } from "./widgets/playground.js";
export { Tensor } from "@huggingface/transformers";
export type { PreTrainedTokenizer } from "@huggingface/transformers";
