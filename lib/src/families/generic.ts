import type { Family } from "./family.js";

/** Any other naming scheme: the common Hugging Face leaf names get their PyTorch classes, the rest "Module". */
export const generic: Family = {
  modelTypes: [],
  classes: [
    [/(^|\.)(layers|h|blocks)$/, "ModuleList"],
    [/(_proj|^lm_head)$/, "Linear"],
    [/(^|\.)(embed_tokens|wte|wpe)$/, "Embedding"],
  ],
};
