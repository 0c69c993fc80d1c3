"""A small decoder with Hugging Face Phi-3's architecture and parameter names (Phi3ForCausalLM), so that
torch.onnx.export names every node after its module: /model/layers.0/self_attn/qkv_proj/MatMul."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Phi3RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], -1)


class Phi3Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.qkv_proj = nn.Linear(d, 3 * d, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        B, T, D = x.shape
        q, k, v = self.qkv_proj(x).split(D, dim=-1)
        q, k, v = (t.view(B, T, self.heads, self.head_dim).transpose(1, 2) for t in (q, k, v))
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], 2)
            v = torch.cat([past_v, v], 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim) + mask
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        return self.o_proj(y), k, v


class Phi3MLP(nn.Module):
    def __init__(self, d, ff):
        super().__init__()
        self.gate_up_proj = nn.Linear(d, 2 * ff, bias=False)
        self.down_proj = nn.Linear(ff, d, bias=False)
        self.activation_fn = nn.SiLU()

    def forward(self, x):
        gate, up = self.gate_up_proj(x).chunk(2, dim=-1)
        return self.down_proj(up * self.activation_fn(gate))


class Phi3DecoderLayer(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.input_layernorm = Phi3RMSNorm(d)
        self.self_attn = Phi3Attention(d, heads)
        self.post_attention_layernorm = Phi3RMSNorm(d)
        self.mlp = Phi3MLP(d, ff)

    def forward(self, x, cos, sin, mask, past_k=None, past_v=None):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), k, v


class Phi3RotaryEmbedding(nn.Module):
    def __init__(self, head_dim, theta):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / theta ** (torch.arange(0, head_dim, 2).float() / head_dim), persistent=False)

    def forward(self, position_ids):
        f = position_ids[..., None].float() * self.inv_freq
        e = torch.cat([f, f], -1)[:, None]
        return e.cos(), e.sin()


class Phi3Model(nn.Module):
    def __init__(self, vocab, d, layers, heads, ff, theta):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.rotary_emb = Phi3RotaryEmbedding(d // heads, theta)
        self.layers = nn.ModuleList(Phi3DecoderLayer(d, heads, ff) for _ in range(layers))
        self.norm = Phi3RMSNorm(d)

    def forward(self, ids, attention_mask=None, position_ids=None, past=None):
        B, T = ids.shape
        P = past[0][0].shape[2] if past is not None else 0
        if position_ids is None:
            position_ids = torch.arange(T)[None].expand(B, T) + P
        x = self.embed_tokens(ids)
        cos, sin = self.rotary_emb(position_ids)
        allowed = (torch.arange(P + T)[None] <= (torch.arange(T)[:, None] + P))[None, None]
        if attention_mask is not None:
            allowed = allowed & attention_mask[:, None, None, :].bool()
        mask = torch.zeros(allowed.shape).masked_fill(~allowed, -1e9)
        presents = []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, cos, sin, mask, *(past[i] if past is not None else (None, None)))
            presents.append((k, v))
        return self.norm(x), presents


class Phi3ForCausalLM(nn.Module):
    def __init__(self, vocab=4096, d=128, layers=4, heads=4, ff=384, theta=10000.0):
        super().__init__()
        self.cfg = dict(vocab=vocab, d=d, layers=layers, heads=heads, ff=ff, theta=theta)
        self.model = Phi3Model(vocab, d, layers, heads, ff, theta)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                small = name.endswith(("o_proj.weight", "down_proj.weight"))
                nn.init.normal_(p, 0, 0.02 / math.sqrt(2 * layers) if small else 0.02)

    def forward(self, ids, attention_mask=None, position_ids=None, past=None):
        h, presents = self.model(ids, attention_mask, position_ids, past)
        return self.lm_head(h), presents
