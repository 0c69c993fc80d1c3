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

test("toString prints the tree like print(model)", async () => {
  const { model } = await tiny();
  const text = String(model);
  assert.match(text, /^Phi3ForCausalLM\(\n {2}\(model\): Phi3Model\(/);
  assert.match(text, /\n {6}\(0\): Phi3DecoderLayer\(/);
  assert.match(text, /\(lm_head\): Linear\(\)\n\)$/);
});

test.run();
