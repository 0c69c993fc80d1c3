import type { Family } from "./family.js";

export const phi3: Family = {
  modelTypes: ["phi3"],
  classes: [
    [/^model$/, "Phi3Model"],
    [/^model\.embed_tokens$/, "Embedding"],
    [/^model\.layers$/, "ModuleList"],
    [/^model\.layers\.\d+$/, "Phi3DecoderLayer"],
    [/\.self_attn$/, "Phi3Attention"],
    [/\.mlp$/, "Phi3MLP"],
    [/(_proj|^lm_head)$/, "Linear"],
    [/(layernorm|^model\.norm)$/, "Phi3RMSNorm"],
    [/\.activation_fn$/, "SiLU"],
    [/^model\.rotary_emb$/, "Phi3RotaryEmbedding"],
  ],
  baseModel: "model",
  childOrder: {
    Phi3ForCausalLM: ["model", "lm_head"],
    Phi3Model: ["embed_tokens", "layers", "norm", "rotary_emb"],
    Phi3DecoderLayer: ["self_attn", "mlp", "input_layernorm", "post_attention_layernorm"],
    Phi3Attention: ["o_proj", "qkv_proj"],
    Phi3MLP: ["gate_up_proj", "down_proj", "activation_fn"],
  },
  paddedEmbeddings: /^model\.embed_tokens$/,
};
