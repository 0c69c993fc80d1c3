#!/usr/bin/env node
// Benchmark: what forward hooks on every module cost, what an intervention costs, and what runWithCache holds.
// Usage: npm run build && node --expose-gc scripts/bench-hooks.mjs [--model NAME] [--dtype q8|fp32] [--passes 2000]
// Three copies of the model are loaded in one process: one without hooks, one with a recording hook on every
// module (as the lesson's cell does), one with a hook zero-ablating one MLP. The hooked (then the ablated) copy's
// forward passes alternate one by one with the plain copy's, so the machine's noise hits both alike; each figure is
// the median over the passes, and each ratio the median of the per-pass ratios to the plain pass next to it.
import { parseArgs } from "node:util";
import { Tensor, loadModel } from "../lib/dist/src/index.js";

const { values: opts } = parseArgs({
  options: {
    model: { type: "string" },
    dtype: { type: "string" },
    passes: { type: "string", default: "2000" },
  },
});
const passes = Number(opts.passes);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => loadModel({ ...(opts.model ? { model: opts.model } : {}), ...(opts.dtype ? { dtype: opts.dtype } : {}) });
const [plain, hooked, ablated] = [await load(), await load(), await load()];
const { tokenizer } = plain;

const calls = [];
const modules = hooked.model.modules();
for (const m of modules) m.registerForwardHook((module, args, output) => void calls.push({ module, args, output }));
const mlp = ablated.model.getSubmodule("model.layers.1.mlp");
mlp.registerForwardHook((m, a, out) => new Tensor("float32", new Float32Array(out.data.length), out.dims));

const text = "The dog chased the cat across the road while the car waited at the corner of the old street";
const words = text.split(" ");
const prompts = [
  "A language model is", // the lesson's prompt
  text,
  Array.from({ length: 96 }, (_, i) => words[i % words.length]).join(" "),
];

console.log(`model ${plain.model.dir.split("/").pop()} (${plain.model.dtype}), ${modules.length} modules hooked, ${passes} passes each, alternating`);
console.log("tokens | forward, no hooks | hook on every module | ratio | one MLP zero-ablated | ratio");
for (const prompt of prompts) {
  const enc = tokenizer(prompt);
  const n = Math.max(50, Math.round(passes / Math.ceil(enc.input_ids.dims[1] / 8)));
  const time = async (lm) => {
    const t0 = performance.now();
    await lm.model.forward(enc);
    return performance.now() - t0;
  };
  // each pair alternates on its own: the other copy's idle onnxruntime threads would otherwise disturb it
  const pair = async (other) => {
    for (let i = 0; i < 30; i++) await time(plain), await time(other), (calls.length = 0); // warm-up: builds the hooked graphs
    const p = [], o = [];
    for (let i = 0; i < n; i++) {
      p.push(await time(plain));
      o.push(await time(other));
      calls.length = 0;
    }
    return { plain: median(p), other: median(o), ratio: median(o.map((x, i) => x / p[i])) };
  };
  const h = await pair(hooked);
  const a = await pair(ablated);
  console.log(
    `${String(enc.input_ids.dims[1]).padStart(6)} | ${h.plain.toFixed(3)} ms | ${h.other.toFixed(3)} ms | ${h.ratio.toFixed(2)}x` +
      ` | ${a.other.toFixed(3)} ms | ${a.ratio.toFixed(2)}x`,
  );
}

// runWithCache memory: bytes held by the cached tensors, for growing prompts
for (let i = 0; i < 3; i++) for (const prompt of prompts) await plain.model.runWithCache(tokenizer(prompt)); // builds its graphs first
await new Promise((r) => setTimeout(r, 500));
for (const prompt of prompts) {
  const inputs = tokenizer(prompt);
  global.gc?.();
  const before = process.memoryUsage();
  const { cache } = await plain.model.runWithCache(inputs);
  const after = process.memoryUsage();
  const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
  console.log(
    `runWithCache, ${String(inputs.input_ids.dims[1]).padStart(3)} tokens: ${cache.size} modules, tensors ${kib(cache.bytes())}` +
      ` (${(cache.bytes() / inputs.input_ids.dims[1] / 1024).toFixed(1)} KiB per token); arrayBuffers grew ${kib(after.arrayBuffers - before.arrayBuffers)}`,
  );
}
