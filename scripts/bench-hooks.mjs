#!/usr/bin/env node
// Benchmark: what forward hooks on every module cost, and what runWithCache holds in memory.
// Usage: npm run build && node scripts/bench-hooks.mjs [--model NAME] [--dtype q8|fp32] [--rounds 15] [--per-round 20]
// Plain and hooked forward passes run interleaved in one process (order alternating per round) so machine noise
// hits both alike; medians are reported, and the ratio is taken per round before its median.
import { parseArgs } from "node:util";
import { Tensor, loadModel } from "../lib/dist/src/index.js";

const { values: opts } = parseArgs({
  options: {
    model: { type: "string" },
    dtype: { type: "string" },
    rounds: { type: "string", default: "15" },
    "per-round": { type: "string", default: "20" },
  },
});
const rounds = Number(opts.rounds);
const perRound = Number(opts["per-round"]);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const { tokenizer, model } = await loadModel({ ...(opts.model ? { model: opts.model } : {}), ...(opts.dtype ? { dtype: opts.dtype } : {}) });
const text = "The dog chased the cat across the road while the car waited at the corner of the old street";
const words = text.split(" ");
const prompts = [
  "A language model is", // the lesson's prompt
  text,
  Array.from({ length: 96 }, (_, i) => words[i % words.length]).join(" "),
];
const modules = model.modules();
let enc;

async function timeForwards(hooked) {
  const calls = [];
  const handles = hooked ? modules.map((m) => m.registerForwardHook((module, args, output) => void calls.push({ module, args, output }))) : [];
  const t0 = performance.now();
  for (let i = 0; i < perRound; i++) {
    await model.forward(enc);
    calls.length = 0;
  }
  const ms = (performance.now() - t0) / perRound;
  handles.forEach((h) => h.remove());
  return ms;
}

console.log(`model ${model.dir.split("/").pop()} (${model.dtype}), ${modules.length} modules hooked, ${rounds} rounds x ${perRound} forwards`);
console.log("tokens | forward, no hooks | hook on every module | overhead (median of per-round ratios)");
for (const prompt of prompts) {
  enc = tokenizer(prompt);
  // warm-up: builds the hooked session once and lets ORT settle
  await timeForwards(false);
  await timeForwards(true);
  const plain = [], hooked = [], ratios = [];
  for (let r = 0; r < rounds; r++) {
    let p, h;
    if (r % 2 === 0) { p = await timeForwards(false); h = await timeForwards(true); }
    else { h = await timeForwards(true); p = await timeForwards(false); }
    plain.push(p); hooked.push(h); ratios.push(h / p);
  }
  const overhead = ((median(ratios) - 1) * 100).toFixed(1);
  console.log(`${String(enc.input_ids.dims[1]).padStart(6)} | ${median(plain).toFixed(3)} ms | ${median(hooked).toFixed(3)} ms | ${overhead}%`);
}

// an intervention: zero-ablating one MLP resumes the pass from that point in a cut graph (built once, then reused)
{
  enc = tokenizer(prompts[0]);
  const zeros = (t) => new Tensor("float32", new Float32Array(t.data.length), t.dims);
  const ablate = async () => {
    const h = model.getSubmodule("model.layers.1.mlp").registerForwardHook((m, a, out) => zeros(out));
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) await model.forward(enc);
    const ms = (performance.now() - t0) / perRound;
    h.remove();
    return ms;
  };
  await ablate();
  const ratios = [], times = [];
  for (let r = 0; r < rounds; r++) {
    const [p, a] = r % 2 === 0 ? [await timeForwards(false), await ablate()] : [undefined, await ablate()];
    const plain = p ?? (await timeForwards(false));
    times.push(a); ratios.push(a / plain);
  }
  console.log(`zero-ablated layers.1.mlp, ${enc.input_ids.dims[1]} tokens: ${median(times).toFixed(3)} ms, ${median(ratios).toFixed(2)}x a plain forward`);
}

// runWithCache memory: bytes held by the cached tensors, for growing prompts
for (const prompt of prompts) {
  const inputs = tokenizer(prompt);
  global.gc?.();
  const before = process.memoryUsage();
  const { cache } = await model.runWithCache(inputs);
  const after = process.memoryUsage();
  const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
  console.log(
    `runWithCache, ${String(inputs.input_ids.dims[1]).padStart(3)} tokens: ${cache.size} modules, tensors ${kib(cache.bytes())}` +
      ` (${(cache.bytes() / inputs.input_ids.dims[1] / 1024).toFixed(1)} KiB per token); arrayBuffers grew ${kib(after.arrayBuffers - before.arrayBuffers)}`,
  );
}
