import { test } from "uvu";
import * as assert from "uvu/assert";
import { tiny } from "./helpers.js";

test("modules() is pre-order: the root first, every parent before its children", async () => {
  const { model } = await tiny();
  const names = model.modules().map((m) => m.name);
  assert.is(names[0], "");
  assert.is(new Set(names).size, names.length);
  names.forEach((name, i) => {
    if (name === "") return;
    const parent = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : "";
    assert.ok(names.indexOf(parent) < i, `${name} comes before its parent ${parent}`);
  });
  const parentOf = (n: string) => (n.includes(".") ? n.slice(0, n.lastIndexOf(".")) : "");
  let childCount = 0;
  for (const m of model.modules()) {
    for (const c of m.children()) assert.is(parentOf(c.name), m.name);
    childCount += m.children().length;
  }
  assert.is(childCount, names.length - 1, "every module but the root is some module's child");
});

test("modules carry Hugging Face Phi-3 names and PyTorch class names", async () => {
  const { model } = await tiny();
  const cls = Object.fromEntries(model.modules().map((m) => [m.name, m.className]));
  assert.equal(
    {
      root: cls[""],
      model: cls["model"],
      embed: cls["model.embed_tokens"],
      layers: cls["model.layers"],
      layer: cls["model.layers.1"],
      attn: cls["model.layers.0.self_attn"],
      qkv: cls["model.layers.0.self_attn.qkv_proj"],
      o: cls["model.layers.0.self_attn.o_proj"],
      mlp: cls["model.layers.0.mlp"],
      gateUp: cls["model.layers.0.mlp.gate_up_proj"],
      down: cls["model.layers.0.mlp.down_proj"],
      act: cls["model.layers.0.mlp.activation_fn"],
      ln: cls["model.layers.0.input_layernorm"],
      norm: cls["model.norm"],
      head: cls["lm_head"],
    },
    {
      root: "Phi3ForCausalLM", model: "Phi3Model", embed: "Embedding", layers: "ModuleList", layer: "Phi3DecoderLayer",
      attn: "Phi3Attention", qkv: "Linear", o: "Linear", mlp: "Phi3MLP", gateUp: "Linear", down: "Linear", act: "SiLU",
      ln: "Phi3RMSNorm", norm: "Phi3RMSNorm", head: "Linear",
    },
  );
  assert.equal(model.getSubmodule("model.layers").children().map((c) => c.name), ["model.layers.0", "model.layers.1"]);
  assert.throws(() => model.getSubmodule("model.layers.7"), /No module named "model.layers.7"/);
});

test("module boundaries: the embedding reads input_ids, lm_head writes the logits", async () => {
  const { model } = await tiny();
  assert.equal(model.getSubmodule("model.embed_tokens").inputNames, ["input_ids"]);
  assert.equal(model.getSubmodule("lm_head").outputNames, ["logits"]);
  assert.ok(model.getSubmodule("model.layers.0.self_attn").outputNames.includes("present.0.key"));
});

test("toString prints the tree the way PyTorch's print(model) does", async () => {
  const { model } = await tiny();
  const c = model.config as { hidden_size: number; intermediate_size: number; vocab_size: number; pad_token_id: number; num_attention_heads: number; head_dim: number };
  const H = c.hidden_size, I = c.intermediate_size, V = c.vocab_size;
  // Hugging Face's Phi3ForCausalLM as PyTorch prints it (its dropout modules leave no trace in an ONNX graph)
  const expected = [
    "Phi3ForCausalLM(",
    "  (model): Phi3Model(",
    `    (embed_tokens): Embedding(${V}, ${H}, padding_idx=${c.pad_token_id})`,
    "    (layers): ModuleList(",
    "      (0-1): 2 x Phi3DecoderLayer(",
    "        (self_attn): Phi3Attention(",
    `          (o_proj): Linear(in_features=${H}, out_features=${H}, bias=False)`,
    `          (qkv_proj): Linear(in_features=${H}, out_features=${3 * c.num_attention_heads * c.head_dim}, bias=False)`,
    "        )",
    "        (mlp): Phi3MLP(",
    `          (gate_up_proj): Linear(in_features=${H}, out_features=${2 * I}, bias=False)`,
    `          (down_proj): Linear(in_features=${I}, out_features=${H}, bias=False)`,
    "          (activation_fn): SiLU()",
    "        )",
    `        (input_layernorm): Phi3RMSNorm((${H},), eps=1e-05)`,
    `        (post_attention_layernorm): Phi3RMSNorm((${H},), eps=1e-05)`,
    "      )",
    "    )",
    `    (norm): Phi3RMSNorm((${H},), eps=1e-05)`,
    "    (rotary_emb): Phi3RotaryEmbedding()",
    "  )",
    `  (lm_head): Linear(in_features=${H}, out_features=${V}, bias=False)`,
    ")",
  ].join("\n");
  assert.fixture(String(model), expected);
  assert.is(String(model.getSubmodule("model.layers.0.mlp.down_proj")), `Linear(in_features=${I}, out_features=${H}, bias=False)`);
});

test("modules() and namedModules() follow PyTorch's registration order", async () => {
  const { model } = await tiny();
  const attn = model.getSubmodule("model.layers.0.self_attn");
  assert.equal(attn.children().map((m) => m.localName), ["o_proj", "qkv_proj"]);
  assert.equal(
    model.getSubmodule("model.layers.1").namedModules().map(([n]) => n),
    ["", "self_attn", "self_attn.o_proj", "self_attn.qkv_proj", "mlp", "mlp.gate_up_proj", "mlp.down_proj", "mlp.activation_fn", "input_layernorm", "post_attention_layernorm"],
  );
  assert.equal(model.namedModules()[1]![0], "model");
});

test.run();
