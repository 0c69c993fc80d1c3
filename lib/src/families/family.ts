// A model family says how its Hugging Face module paths map to PyTorch classes, and in which order PyTorch
// registers children (which is the order print(model) and modules() use). One file per family, like
// transformers.js's per-family folders.

export type Rule = [RegExp, string];

export interface Family {
  /** config.json model_type values this family covers. */
  modelTypes: string[];
  /** Path patterns, first match wins; the root takes the config's architecture name. */
  classes: Rule[];
  /** Local child names in registration order, per class; children not listed keep graph order after these. */
  childOrder?: Record<string, string[]>;
  /** The base model's path (`model` in Phi3ForCausalLM), whose output is `{ last_hidden_state, past_key_values }`. */
  baseModel?: string;
  /** Classes whose Embedding is built with padding_idx = config.pad_token_id. */
  paddedEmbeddings?: RegExp;
}
