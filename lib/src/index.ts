export { loadModel, type LoadModelOptions } from "./load-model.js";
export { CausalLM, type Dtype } from "./causal-lm.js";
export { Module, type ForwardHook, type HookCall, type HookHandle, type ModuleOutput } from "./module.js";
export { Parameter } from "./parameter.js";
export { ActivationCache } from "./activation-cache.js";
export { DEFAULT_MODEL, ModelNotFoundError, modelCacheDir, resolveModelDir } from "./model-cache.js";
export { Tensor } from "@huggingface/transformers";
export type { PreTrainedTokenizer } from "@huggingface/transformers";
