#!/usr/bin/env node
// Measures a model folder against the default-model targets and prints them as JSON:
//   embeddings: cosine(dog, cat) - cosine(dog, car) on the input embeddings (target >= 0.15)
//   quantization: same top-1 next token for 8-bit and fp32 on every position of heldout.txt (target >= 95%),
//                 and the 8-bit file's size relative to the fp32 file (target <= 35%)
//   generation: greedy continuation of "A language model is"
//   training: what training.json records (validation loss, tokens trained on)
// Usage: npm run build && node scripts/model-metrics.mjs [model folder]   (default: model-cache/<default model>)
import { existsSync, readFileSync, statSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_MODEL, loadModel, modelCacheDir } from "../lib/dist/src/index.js";

const dir = resolve(process.argv[2] ?? join(modelCacheDir(), DEFAULT_MODEL));
const fp32 = await loadModel({ model: dir, dtype: "fp32" });
const q8 = existsSync(join(dir, "onnx/model_quantized.onnx")) ? await loadModel({ model: dir, dtype: "q8" }) : null;
const { tokenizer } = fp32;

const ids = tokenizer.encode("dog cat car", { add_special_tokens: false });
const words = ids.map((id) => tokenizer.decode([id]).trim());
const emb = await fp32.model.getSubmodule("model.embed_tokens").forward(ids);
const d = emb.dims.at(-1);
const row = (i) => emb.data.subarray(i * d, (i + 1) * d);
const cos = (u, v) => {
  let dot = 0, uu = 0, vv = 0;
  for (let i = 0; i < d; i++) { dot += u[i] * v[i]; uu += u[i] * u[i]; vv += v[i] * v[i]; }
  return dot / Math.sqrt(uu * vv);
};
const dogCat = cos(row(0), row(1));
const dogCar = cos(row(0), row(2));

function argmaxRows(logits) {
  const n = logits.dims.at(-1);
  const out = [];
  for (let r = 0; r < logits.data.length / n; r++) {
    let k = 0;
    for (let j = 1; j < n; j++) if (logits.data[r * n + j] > logits.data[r * n + k]) k = j;
    out.push(k);
  }
  return out;
}

let quantization = null;
if (q8) {
  const heldout = join(dir, "heldout.txt");
  const texts = existsSync(heldout) ? readFileSync(heldout, "utf8").split("\n").filter(Boolean) : [];
  let same = 0, total = 0;
  for (const text of texts) {
    const enc = tokenizer(text, { truncation: true, max_length: 128 });
    const a = argmaxRows((await fp32.model.forward(enc)).logits);
    const b = argmaxRows((await q8.model.forward(enc)).logits);
    a.forEach((t, i) => { total++; if (t === b[i]) same++; });
  }
  const size = (f) => statSync(join(dir, "onnx", f)).size;
  quantization = {
    heldoutParagraphs: texts.length,
    positions: total,
    top1Agreement: total ? same / total : null,
    fp32Bytes: size("model.onnx"),
    q8Bytes: size("model_quantized.onnx"),
    sizeRatio: size("model_quantized.onnx") / size("model.onnx"),
  };
}

/** Median wall time of one forward pass over a short text (about 30 tokens), fp32 and 8-bit measured alternately in one run. */
async function forwardMs() {
  const text = "The whale is the largest animal in the sea, and the ship sailed after it for many days and nights across the cold water";
  const enc = tokenizer(text, { truncation: true, max_length: 64 });
  const times = { fp32: [], q8: [] };
  for (let i = 0; i < 30; i++) {
    for (const [name, m] of [["fp32", fp32], ["q8", q8]]) {
      if (!m) continue;
      const t0 = performance.now();
      await m.model.forward(enc);
      times[name].push(performance.now() - t0);
    }
  }
  const median = (xs) => xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null;
  return { tokens: enc.input_ids.dims[1], fp32: median(times.fp32), q8: median(times.q8) };
}

async function greedy({ model }, prompt) {
  const out = await model.generate({ ...tokenizer(prompt), max_new_tokens: 12, do_sample: false });
  return tokenizer.batch_decode(out.tolist(), { skip_special_tokens: true })[0].trim();
}
const folderBytes = (p) => statSync(p).isDirectory() ? readdirSync(p).reduce((a, f) => a + folderBytes(join(p, f)), 0) : statSync(p).size;
const training = existsSync(join(dir, "training.json")) ? JSON.parse(readFileSync(join(dir, "training.json"), "utf8")) : null;

console.log(JSON.stringify({
  model: dir,
  embeddings: { words, dogCat, dogCar, margin: dogCat - dogCar },
  quantization,
  generation: { fp32: await greedy(fp32, "A language model is"), q8: q8 ? await greedy(q8, "A language model is") : null },
  forwardMs: await forwardMs(),
  training,
  folderBytes: folderBytes(dir),
}, null, 2));
