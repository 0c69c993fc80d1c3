// The module tree and print(model) for the other naming families, on random-weight fixtures built here.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Tensor, loadModel } from "../src/index.js";
import type { BaseModelOutput, CausalLMOutput } from "../src/module-signature.js";
import { classNameOf, familyOf } from "../src/families/index.js";
import { type TinyFamily, buildTinyModel } from "./fixtures/tiny-models/build.js";

const dir = mkdtempSync(join(tmpdir(), "families-"));
async function load(family: TinyFamily) {
  buildTinyModel(join(dir, family), family);
  return loadModel({ model: join(dir, family) });
}

test("Llama: separate q/k/v and gate/up projections, LlamaRMSNorm with the config's eps", async () => {
  const { model } = await load("llama");
  const text = String(model);
  assert.match(text, /^LlamaForCausalLM\(\n {2}\(model\): LlamaModel\(\n {4}\(embed_tokens\): Embedding\(523, 64, padding_idx=522\)\n/);
  assert.match(text, /\n {6}\(0-1\): 2 x LlamaDecoderLayer\(\n {8}\(self_attn\): LlamaAttention\(\n {10}\(q_proj\): Linear\(in_features=64, out_features=64, bias=False\)\n {10}\(k_proj\)/);
  assert.match(text, /\n {10}\(gate_proj\): Linear\(in_features=64, out_features=128, bias=False\)\n {10}\(up_proj\): Linear\(in_features=64, out_features=128, bias=False\)\n {10}\(down_proj\): Linear\(in_features=128, out_features=64, bias=False\)\n {10}\(act_fn\): SiLU\(\)\n/);
  assert.match(text, /\(input_layernorm\): LlamaRMSNorm\(\(64,\), eps=1e-06\)/);
  assert.match(text, /\(rotary_emb\): LlamaRotaryEmbedding\(\)/);
});

test("Qwen2: biases on q/k/v_proj are read from the graph", async () => {
  const { model } = await load("qwen2");
  assert.is(String(model.getSubmodule("model.layers.0.self_attn.q_proj")), "Linear(in_features=64, out_features=64, bias=True)");
  assert.is(String(model.getSubmodule("model.layers.0.self_attn.o_proj")), "Linear(in_features=64, out_features=64, bias=False)");
  assert.equal(model.getSubmodule("model.layers.0.self_attn.v_proj").namedParameters().map(([n, p]) => [n, p.shape]), [["weight", [64, 64]], ["bias", [64]]]);
  assert.is(model.getSubmodule("model.layers.1").className, "Qwen2DecoderLayer");
});

test("GPT-2: transformer.h blocks, Conv1D keeps its [in, out] weight, LayerNorm with weight and bias", async () => {
  const { tokenizer, model } = await load("gpt2");
  const expected = [
    "GPT2LMHeadModel(",
    "  (transformer): GPT2Model(",
    "    (wte): Embedding(523, 64)",
    "    (wpe): Embedding(256, 64)",
    "    (h): ModuleList(",
    "      (0-1): 2 x GPT2Block(",
    "        (ln_1): LayerNorm((64,), eps=1e-05, elementwise_affine=True)",
    "        (attn): GPT2Attention(",
    "          (c_attn): Conv1D(nf=192, nx=64)",
    "          (c_proj): Conv1D(nf=64, nx=64)",
    "        )",
    "        (ln_2): LayerNorm((64,), eps=1e-05, elementwise_affine=True)",
    "        (mlp): GPT2MLP(",
    "          (c_fc): Conv1D(nf=256, nx=64)",
    "          (c_proj): Conv1D(nf=64, nx=256)",
    "          (act): NewGELUActivation()",
    "        )",
    "      )",
    "    )",
    "    (ln_f): LayerNorm((64,), eps=1e-05, elementwise_affine=True)",
    "  )",
    "  (lm_head): Linear(in_features=64, out_features=523, bias=False)",
    ")",
  ].join("\n");
  assert.fixture(String(model), expected);
  assert.equal(model.getSubmodule("transformer.h.0.mlp.c_fc").parameters().map((p) => p.shape), [[64, 256], [256]]);
  // hooks work the same way in this family
  const names: string[] = [];
  const handles = model.modules().map((m) => m.registerForwardHook((mod) => void names.push(mod.name)));
  const out = (await model.generate({ ...tokenizer("dog cat"), max_new_tokens: 2 })) as Tensor;
  handles.forEach((h) => h.remove());
  assert.is(out.dims[1], 5);
  assert.is(names.filter((n) => n === "").length, 2);
  assert.ok(names.indexOf("transformer.h.0.attn.c_attn") < names.indexOf("transformer.h.0.attn"));
});

// PyTorch's order in every family: the hidden state first in and out, the key/value cache after it, and the
// records of Hugging Face's CausalLMOutputWithPast / BaseModelOutputWithPast for the root and the base model.
for (const family of ["phi3", "llama", "qwen2", "gpt2", "generic"] as const) {
  test(`${family}: args and outputs in PyTorch's order`, async () => {
    // generic: a family transformers.js loads that has no adapter here (Mistral, built as Llama's layout)
    const built = family === "generic" ? "llama" : family;
    buildTinyModel(join(dir, family), built);
    if (family === "generic") {
      const file = join(dir, family, "config.json");
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), model_type: "mistral", architectures: ["MistralForCausalLM"] }));
    }
    const { tokenizer, model } = await loadModel({ model: join(dir, family) });
    const enc = tokenizer("dog cat car");
    const T = enc.input_ids.dims[1]!;
    const hidden = (model.config.hidden_size ?? model.config.n_embd) as number;
    const layers = (model.config.num_hidden_layers ?? model.config.n_layer) as number;
    const { cache } = await model.runWithCache(enc);
    const root = cache.get("").output as CausalLMOutput;
    assert.equal(root.logits.dims.slice(0, 2), [1, T]);
    assert.is(root.past_key_values!.length, layers, "one [key, value] pair per layer");
    for (const [k, v] of root.past_key_values!) assert.equal([k.dims[2], v.dims[2]], [T, T]);
    const baseName = family === "gpt2" ? "transformer" : "model";
    const base = cache.get(baseName).output as BaseModelOutput;
    assert.equal(base.last_hidden_state.dims, [1, T, hidden]);
    assert.is(base.last_hidden_state, cache.args("lm_head")[0], "the base model's last_hidden_state is what lm_head reads");
    const layerName = (l: number) => (family === "gpt2" ? `transformer.h.${l}` : `model.layers.${l}`);
    for (let l = 0; l < layers; l++) {
      for (const name of [layerName(l), `${layerName(l)}.${family === "gpt2" ? "attn" : "self_attn"}`]) {
        const { args, output } = cache.get(name);
        const [main, key, value] = output as Tensor[];
        assert.equal(args[0]!.dims, [1, T, hidden], `${name}: args[0] is the hidden state`);
        assert.equal(main!.dims, [1, T, hidden], `${name}: output[0] is the hidden state`);
        assert.is(key, root.past_key_values![l]![0], `${name}: output[1] is layer ${l}'s present key`);
        assert.is(value, root.past_key_values![l]![1], `${name}: output[2] is layer ${l}'s present value`);
        assert.equal(args.slice(-2).map((a) => a.dims[2]), [0, 0], `${name}: the past key and value come last`);
      }
      if (l + 1 < layers) assert.is(cache.output(layerName(l)), cache.args(layerName(l + 1))[0], "a layer's output[0] is the next layer's args[0]");
    }
  });
}

test("an unknown naming scheme gets generic class names", () => {
  const family = familyOf("my-own-model");
  assert.is(classNameOf(family, "", "MyModel"), "MyModel");
  assert.is(classNameOf(family, "", undefined), "Module");
  assert.is(classNameOf(family, "backbone.blocks", undefined), "ModuleList");
  assert.is(classNameOf(family, "backbone.blocks.0.mixer.in_proj", undefined), "Linear");
  assert.is(classNameOf(family, "backbone.blocks.0.mixer", undefined), "Module");
});

test.run();
