// PyTorch class names per model family, matched on a module's dotted path (one table per family, like
// transformers.js's per-family folders). Unknown families and paths get generic names.

type Rule = [RegExp, string];

const phi3: Rule[] = [
  [/^model$/, "Phi3Model"],
  [/(^|\.)embed_tokens$/, "Embedding"],
  [/(^|\.)layers$/, "ModuleList"],
  [/(^|\.)layers\.\d+$/, "Phi3DecoderLayer"],
  [/\.self_attn$/, "Phi3Attention"],
  [/\.mlp$/, "Phi3MLP"],
  [/(_proj|^lm_head)$/, "Linear"],
  [/(layernorm|(^|\.)norm)$/, "Phi3RMSNorm"],
  [/\.activation_fn$/, "SiLU"],
  [/(^|\.)rotary_emb$/, "Phi3RotaryEmbedding"],
];

const families: Record<string, Rule[]> = { phi3 };

const generic: Rule[] = [
  [/(^|\.)(layers|h|blocks)$/, "ModuleList"],
  [/(_proj|^lm_head)$/, "Linear"],
  [/(^|\.)(embed_tokens|wte|wpe)$/, "Embedding"],
];

/** The class a module would have in PyTorch; the root takes the config's architecture name. */
export function classNameOf(path: string, modelType: string | undefined, architecture: string | undefined): string {
  if (path === "") return architecture ?? "Module";
  const rules = (modelType && families[modelType]) || generic;
  return rules.find(([re]) => re.test(path))?.[1] ?? "Module";
}
