"""Exports a checkpoint to a transformers.js model folder: config.json (phi3), tokenizer files,
model.safetensors (Hugging Face names) and onnx/model.onnx (fp32, opset 14, KV-cache inputs and outputs).
Usage: python3 export.py ckpt.pt OUTDIR  (run in the folder holding tokenizer.json)"""
import json, os, shutil, struct, sys
import torch
from model import Phi3ForCausalLM

ckpt, outdir = sys.argv[1], sys.argv[2]
state = torch.load(ckpt)
c = state["cfg"]
L, H, hd = c["layers"], c["heads"], c["d"] // c["heads"]
os.makedirs(f"{outdir}/onnx", exist_ok=True)


class WithCache(Phi3ForCausalLM):
    """The signature transformers.js calls: logits and present.N.key|value from past_key_values.N.key|value.
    A subclass, not a wrapper module, so node scopes start at the model's own names (/model/..., /lm_head/...)."""

    def forward(self, input_ids, attention_mask, position_ids, *past):
        logits, presents = super().forward(input_ids, attention_mask, position_ids, [(past[2 * i], past[2 * i + 1]) for i in range(L)])
        return (logits, *[t for kv in presents for t in kv])


m = WithCache(c["vocab"], c["d"], c["layers"], c["heads"], c["ff"], c["theta"])
m.load_state_dict(state["model"])
m.eval()


B, T, P = 2, 5, 3
example = (
    torch.randint(0, c["vocab"], (B, T)),
    torch.ones(B, P + T, dtype=torch.int64),
    (torch.arange(T) + P)[None].expand(B, T).contiguous(),
    *[torch.randn(B, H, P, hd) for _ in range(2 * L)],
)
inputs = ["input_ids", "attention_mask", "position_ids"] + [f"past_key_values.{i}.{k}" for i in range(L) for k in ("key", "value")]
outputs = ["logits"] + [f"present.{i}.{k}" for i in range(L) for k in ("key", "value")]
axes = {"input_ids": {0: "batch_size", 1: "sequence_length"}, "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"}, "logits": {0: "batch_size", 1: "sequence_length"}}
axes.update({n: {0: "batch_size", 2: "past_sequence_length"} for n in inputs[3:]})
axes.update({n: {0: "batch_size", 2: "total_sequence_length"} for n in outputs[1:]})
# without constant folding the node names keep their module scopes (/model/layers.0/self_attn/qkv_proj/MatMul)
torch.onnx.export(m, example, f"{outdir}/onnx/model.onnx", input_names=inputs, output_names=outputs,
                  dynamic_axes=axes, opset_version=14, do_constant_folding=False)

vocab = json.load(open("tokenizer.json", encoding="utf-8"))["model"]["vocab"]
eot = vocab["<|endoftext|>"]
config = {
    "architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "vocab_size": c["vocab"], "hidden_size": c["d"],
    "intermediate_size": c["ff"], "num_hidden_layers": L, "num_attention_heads": H, "num_key_value_heads": H, "head_dim": hd,
    "max_position_embeddings": 256, "rms_norm_eps": 1e-5, "rope_theta": c["theta"], "hidden_act": "silu",
    "tie_word_embeddings": False, "bos_token_id": eot, "eos_token_id": eot, "pad_token_id": eot, "torch_dtype": "float32", "use_cache": True,
}
json.dump(config, open(f"{outdir}/config.json", "w"), indent=2)
json.dump({"bos_token_id": eot, "eos_token_id": eot, "pad_token_id": eot, "do_sample": False}, open(f"{outdir}/generation_config.json", "w"), indent=2)
for f in ["tokenizer.json", "tokenizer_config.json"]:
    shutil.copyfile(f, f"{outdir}/{f}")

# model.safetensors: the parameters under their Hugging Face Phi-3 names, float32, little-endian
header, blobs, offset = {}, [], 0
for name, t in sorted(m.state_dict().items()):
    b = t.contiguous().numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
    offset += len(b)
    blobs.append(b)
h = json.dumps(header).encode()
h += b" " * (-len(h) % 8)
with open(f"{outdir}/model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
print(f"exported {outdir}: {sorted(os.listdir(outdir))}")

# held-out text for the metrics: the last corpus paragraphs, which lie inside the validation tokens
if os.path.exists("corpus.txt"):
    from bpe import Encoder
    tok = json.load(open("tokenizer.json", encoding="utf-8"))["model"]
    enc = Encoder(tok["vocab"], tok["merges"])
    lines = open("corpus.txt", encoding="utf-8").read().splitlines()[-100:]
    used = sum(len(enc.encode(l)) + 1 for l in lines)
    val_tokens = state.get("stats", {}).get("val_tokens", 0)
    assert used <= val_tokens or "stats" not in state, f"held-out lines ({used} tokens) reach into the training tokens ({val_tokens} held out)"
    open(f"{outdir}/heldout.txt", "w", encoding="utf-8").write("\n".join(lines) + "\n")
if "stats" in state:
    json.dump(state["stats"], open(f"{outdir}/training.json", "w"), indent=2)
