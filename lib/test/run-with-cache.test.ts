import { test } from "uvu";
import * as assert from "uvu/assert";
import type { HookCall, Tensor } from "../src/index.js";
import { flattenOutput } from "../src/module-signature.js";
import { tiny } from "./helpers.js";

const PROMPT = "A language model is";

test("runWithCache returns the logits and every module's activations by name, and leaves no hook behind", async () => {
  const { tokenizer, model } = await tiny();
  const enc = tokenizer(PROMPT);
  const plain = (await model.forward(enc)).logits;
  const { logits, cache } = await model.runWithCache(enc);
  assert.equal(Array.from(logits.data as Float32Array), Array.from(plain.data as Float32Array));
  const expected = model.modules().filter((m) => m.className !== "ModuleList").map((m) => m.name).sort();
  assert.equal([...cache.keys()].sort(), expected);
  assert.equal(cache.keys().at(-1), "", "the root finishes last");
  assert.equal(cache.output("").dims, logits.dims);
  const n = (enc.input_ids as Tensor).dims[1]!;
  const H = (model.config as { hidden_size: number }).hidden_size;
  assert.equal(cache.output("model.embed_tokens").dims, [1, n, H]);
  assert.equal(cache.args("model.embed_tokens").map((t) => t.dims), [[1, n]]);
  // the same values a hand-written hook records
  let recorded: HookCall | null = null;
  const h = model.getSubmodule("model.layers.0.mlp").registerForwardHook((module, args, output) => void (recorded = { module, args, output }));
  await model.forward(enc);
  h.remove();
  assert.equal(Array.from(cache.output("model.layers.0.mlp").data as Float32Array), Array.from((recorded!.output as Tensor).data as Float32Array));
  // no hook is left: a later run with a new hook sees exactly one call
  let calls = 0;
  const h2 = model.getSubmodule("lm_head").registerForwardHook(() => void calls++);
  await model.forward(enc);
  h2.remove();
  assert.is(calls, 1);
});

test("runWithCache with names caches only those, and explains unknown names", async () => {
  const { tokenizer, model } = await tiny();
  const { cache } = await model.runWithCache(tokenizer(PROMPT), { names: ["model.layers.1.self_attn", "lm_head"] });
  assert.equal(cache.keys(), ["model.layers.1.self_attn", "lm_head"]);
  const attn = cache.get("model.layers.1.self_attn").output as Tensor[];
  assert.is(attn.length, 3, "attention returns its output and its key/value entries, as PyTorch's does");
  assert.is(cache.output("model.layers.1.self_attn"), attn[0], "output() is the attention's output, not a cache entry");
  assert.equal(attn[0]!.dims, [...cache.args("model.layers.1.self_attn")[0]!.dims], "the hidden state in, the hidden state out");
  assert.throws(() => cache.get("self_attn"), /No activation cached for "self_attn"\. Did you mean "model\.layers\.1\.self_attn"\?/);
  try {
    await model.runWithCache(tokenizer(PROMPT), { names: ["model.layers.9"] });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /No module named "model.layers.9"/);
  }
});

test("the cache's bytes() counts each distinct tensor once", async () => {
  const { tokenizer, model } = await tiny();
  const { cache } = await model.runWithCache(tokenizer(PROMPT));
  const distinct = new Map<unknown, number>();
  for (const call of cache) {
    for (const t of [...call.args, ...flattenOutput(call.output)]) distinct.set(t.data, (t.data as unknown as ArrayBufferView).byteLength);
  }
  const sum = [...distinct.values()].reduce((a, b) => a + b, 0);
  assert.is(cache.bytes(), sum);
  assert.ok(cache.bytes() > (cache.output("").data as Float32Array).byteLength);
  assert.match(String(cache), /^ActivationCache with \d+ modules, [\d.]+ KiB$/);
});

test.run();
