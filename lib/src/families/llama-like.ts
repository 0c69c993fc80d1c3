import type { Family } from "./family.js";

/** Llama and the families that copy its modules (Qwen2, Mistral, ...): separate q/k/v and gate/up projections. */
export function llamaLike(prefix: string, modelTypes: string[]): Family {
  return {
    modelTypes,
    classes: [
      [/^model$/, `${prefix}Model`],
      [/^model\.embed_tokens$/, "Embedding"],
      [/^model\.layers$/, "ModuleList"],
      [/^model\.layers\.\d+$/, `${prefix}DecoderLayer`],
      [/\.self_attn$/, `${prefix}Attention`],
      [/\.mlp$/, `${prefix}MLP`],
      [/(_proj|^lm_head)$/, "Linear"],
      [/(layernorm|^model\.norm)$/, `${prefix}RMSNorm`],
      [/\.act_fn$/, "SiLU"],
      [/^model\.rotary_emb$/, `${prefix}RotaryEmbedding`],
    ],
    baseModel: "model",
    childOrder: {
      [`${prefix}ForCausalLM`]: ["model", "lm_head"],
      [`${prefix}Model`]: ["embed_tokens", "layers", "norm", "rotary_emb"],
      [`${prefix}DecoderLayer`]: ["self_attn", "mlp", "input_layernorm", "post_attention_layernorm"],
      [`${prefix}Attention`]: ["q_proj", "k_proj", "v_proj", "o_proj"],
      [`${prefix}MLP`]: ["gate_proj", "up_proj", "down_proj", "act_fn"],
    },
    paddedEmbeddings: /^model\.embed_tokens$/,
  };
}
