// The module tree and print(model) for the other naming families, on random-weight fixtures built here.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Tensor, loadModel } from "../src/index.js";
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

test("an unknown naming scheme gets generic class names", () => {
  const family = familyOf("my-own-model");
  assert.is(classNameOf(family, "", "MyModel"), "MyModel");
  assert.is(classNameOf(family, "", undefined), "Module");
  assert.is(classNameOf(family, "backbone.blocks", undefined), "ModuleList");
  assert.is(classNameOf(family, "backbone.blocks.0.mixer.in_proj", undefined), "Linear");
  assert.is(classNameOf(family, "backbone.blocks.0.mixer", undefined), "Module");
});

test.run();
