import type { Family } from "./family.js";

export const gpt2: Family = {
  modelTypes: ["gpt2"],
  classes: [
    [/^transformer$/, "GPT2Model"],
    [/^transformer\.(wte|wpe)$/, "Embedding"],
    [/^transformer\.h$/, "ModuleList"],
    [/^transformer\.h\.\d+$/, "GPT2Block"],
    [/\.attn$/, "GPT2Attention"],
    [/\.mlp$/, "GPT2MLP"],
    [/\.(c_attn|c_proj|c_fc|q_attn)$/, "Conv1D"],
    [/(\.ln_\d|^transformer\.ln_f)$/, "LayerNorm"],
    [/\.act$/, "NewGELUActivation"],
    [/^lm_head$/, "Linear"],
  ],
  baseModel: "transformer",
  childOrder: {
    GPT2LMHeadModel: ["transformer", "lm_head"],
    GPT2Model: ["wte", "wpe", "h", "ln_f"],
    GPT2Block: ["ln_1", "attn", "ln_2", "mlp"],
    GPT2Attention: ["c_attn", "c_proj"],
    GPT2MLP: ["c_fc", "c_proj", "act"],
  },
};
