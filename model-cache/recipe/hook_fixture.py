"""PyTorch's hooked values for the shipped default model: the reference lib/test/pytorch-parity.test.ts holds the
library's hooks to (maintainers only; never run by CI or at run time).

Runs model.safetensors in PyTorch with this recipe's architecture (model.py, the module the ONNX graph was
exported from), a forward pre-hook and a forward hook on every module, and writes each call's args and output as
small summaries (shape, and for float tensors the mean, the root mean square and two fixed projections; integer
tensors in full), in the order PyTorch calls the hooks.

Usage (from the repository, after `npm run build`, with Debian's python3-torch):
    /usr/bin/python3 model-cache/recipe/hook_fixture.py [MODEL_DIR] [OUT_JSON]
"""
import hashlib, json, os, struct, subprocess, sys
import torch
from model import Phi3ForCausalLM

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
model_dir = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(root, "model-cache", "phi3-tiny-course")
out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "lib", "test", "fixtures", "pytorch-hooks.json")
PROMPTS = ["A language model is", "The dog chased the cat into the car"]


def read_safetensors(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    base = 8 + n
    state = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", f"{name}: {meta['dtype']} (this script reads float32 only)"
        a, b = meta["data_offsets"]
        state[name] = torch.frombuffer(bytearray(blob[base + a : base + b]), dtype=torch.float32).reshape(meta["shape"])
    return state, hashlib.sha256(blob).hexdigest()


def token_ids(texts):
    """The ids transformers.js's tokenizer gives (the library's own loader), so both sides start from the same ids."""
    js = (
        "import { loadModel } from './lib/dist/src/index.js';"
        f"const {{ tokenizer }} = await loadModel({{ model: {json.dumps(model_dir)} }});"
        f"console.log(JSON.stringify({json.dumps(texts)}.map((t) => tokenizer.encode(t))));"
    )
    out = subprocess.run(["node", "--input-type=module", "-e", js], cwd=root, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"tokenizing with the library failed (is it built? npm run build):\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def summary(t):
    if t is None:
        return None
    d = {"shape": list(t.shape), "dtype": {torch.float32: "float32", torch.int64: "int64"}[t.dtype]}
    x = t.detach().reshape(-1).double()
    n = x.numel()
    if t.dtype == torch.int64:
        d["values"] = [int(v) for v in x.long()]
    elif n:
        idx = torch.arange(n, dtype=torch.float64)
        stats = [x.mean(), x.pow(2).mean().sqrt()] + [(torch.sin(idx * (0.7548776662466927 + k) + 0.5 * k) * x).sum() / n for k in (1, 2)]
        d["stats"] = [float(f"{float(s):.7g}") for s in stats]
    return d


def flatten(v):
    if isinstance(v, (tuple, list)):
        return [t for item in v for t in flatten(item)]
    return [v]


def main():
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    L, H = cfg["num_hidden_layers"], cfg["num_attention_heads"]
    hd = cfg["hidden_size"] // H
    state, digest = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    model = Phi3ForCausalLM(cfg["vocab_size"], cfg["hidden_size"], L, H, cfg["intermediate_size"], cfg["rope_theta"])
    model.load_state_dict(state)
    model.eval()

    values, ids_of = [], {}

    def ref(t):
        s = summary(t)
        key = json.dumps(s, sort_keys=True)
        if key not in ids_of:
            ids_of[key] = len(values)
            values.append(s)
        return ids_of[key]

    events = []
    for name, module in model.named_modules():
        # a pre-hook sees the same args as the forward hook after it, so only its place in the order is kept
        module.register_forward_pre_hook(lambda m, args, name=name: events.append({"pre": name}))
        module.register_forward_hook(lambda m, args, out, name=name: events.append({"forward": name, "args": [ref(t) for t in flatten(args)], "output": [ref(t) for t in flatten(out)]}))

    cases = []

    def run(label, ids, past):
        nonlocal values, ids_of
        values, ids_of = [], {}
        events.clear()
        P = past[0][0].shape[2]
        T = len(ids)
        with torch.no_grad():
            logits, presents = model(
                torch.tensor([ids]), torch.ones(1, P + T, dtype=torch.int64), (torch.arange(T) + P)[None], past
            )
        cases.append({"name": label, "input_ids": ids, "past_length": P, "values": values, "calls": list(events)})
        return logits, presents

    empty = [(torch.zeros(1, H, 0, hd), torch.zeros(1, H, 0, hd)) for _ in range(L)]
    prompt_ids = token_ids(PROMPTS)
    first = None
    for text, ids in zip(PROMPTS, prompt_ids):
        logits, presents = run(text, ids, empty)
        first = first or (ids, logits, presents)
    ids, logits, presents = first
    nxt = int(logits[0, -1].argmax())
    run(f"{PROMPTS[0]} + one decoding step", [nxt], presents)

    fixture = {
        "about": "PyTorch's forward pre-hook and forward hook calls on every module of the default model, made by "
        "model-cache/recipe/hook_fixture.py; each tensor is summarised as shape, dtype, and for float tensors "
        "[mean, rms, projection 1, projection 2] with projection k = sum_i sin(i * (0.7548776662466927 + k) + 0.5 * k) * x_i / n.",
        "model": os.path.basename(os.path.normpath(model_dir)),
        "weights_sha256": digest,
        "torch": torch.__version__,
        "decoding_step": {"from": PROMPTS[0], "token": nxt},
        "cases": cases,
    }
    with open(out_path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out_path}: {os.path.getsize(out_path)} bytes, {len(cases)} cases")


main()
