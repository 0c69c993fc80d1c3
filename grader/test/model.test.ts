import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel, type Tensor } from "@courseware/lib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkModel } from "../src/model/check-model.js";
import { quantizeMatrix } from "../src/model/quantize.js";
import { quantizeFolder } from "../src/model/quantize-folder.js";
import { ROOT } from "./helpers.js";

const FIXTURE = join(ROOT, "model-cache/phi3-tiny-random");

function copyOfFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "model-"));
  cpSync(FIXTURE, dir, { recursive: true });
  rmSync(join(dir, "onnx/model_quantized.onnx"), { force: true });
  return dir;
}

test("per-channel int8: every weight is within half a step of its channel's scale", () => {
  const w = Float32Array.from([0.5, -2, 0.001, 4, -0.25, 0, 1, 8, 3]); // 3 x 3
  for (const axis of [0, 1] as const) {
    const { q, scales } = quantizeMatrix(w, 3, 3, axis);
    assert.is(scales.length, 3);
    w.forEach((x, i) => {
      const s = scales[axis === 0 ? Math.floor(i / 3) : i % 3]!;
      assert.ok(Math.abs(q[i]! * s - x) <= s / 2 + 1e-7, `element ${i} axis ${axis}`);
    });
    assert.ok(Math.max(...Array.from(q, Math.abs)) === 127, "the largest weight of a channel maps to 127");
  }
});

test("model quantize writes an 8-bit model a third the size whose logits stay close and whose modules are the same", async () => {
  const dir = copyOfFixture();
  const { output, report } = quantizeFolder(dir);
  assert.is(output, join(dir, "onnx/model_quantized.onnx"));
  assert.ok(report.matmuls >= 9 && report.gathers === 1, JSON.stringify(report));
  assert.ok(statSync(output).size <= 0.35 * statSync(join(dir, "onnx/model.onnx")).size);
  const fp32 = await loadModel({ model: dir, dtype: "fp32" });
  const q8 = await loadModel({ model: dir, dtype: "q8" });
  assert.equal(q8.model.modules().map((m) => m.name), fp32.model.modules().map((m) => m.name));
  const enc = fp32.tokenizer("A language model is a dog and a cat");
  const a = (await fp32.model.forward(enc)).logits as Tensor;
  const b = (await q8.model.forward(enc)).logits as Tensor;
  assert.equal(a.dims, b.dims);
  const x = a.data as Float32Array, y = b.data as Float32Array;
  let err = 0, norm = 0;
  for (let i = 0; i < x.length; i++) { err += (x[i]! - y[i]!) ** 2; norm += x[i]! ** 2; }
  assert.ok(Math.sqrt(err / norm) < 0.05, `relative error ${Math.sqrt(err / norm)}`);
  const emb = (m: typeof fp32) => m.model.getSubmodule("model.embed_tokens").forward([10, 20]) as Promise<Tensor>;
  const [e32, e8] = [await emb(fp32), await emb(q8)];
  (e32.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - (e8.data as Float32Array)[i]!) < 0.05));
});

test("model check passes on a good folder and shows the tree and a generation for each dtype", async () => {
  const dir = copyOfFixture();
  quantizeFolder(dir);
  const { lines } = await checkModel(dir);
  const text = lines.join("\n");
  assert.match(text, /Phi3ForCausalLM\(/);
  assert.match(text, /fp32: 27 modules; greedy: "/);
  assert.match(text, /q8: 27 modules; greedy: "/);
});

test("model check fails with a clear message on a broken copy", async () => {
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ["a missing tokenizer", (d) => rmSync(join(d, "tokenizer.json")), /tokenizer.json is missing/],
    ["a config that is not JSON", (d) => writeFileSync(join(d, "config.json"), "{ nope"), /config.json is not valid JSON/],
    ["a truncated ONNX file", (d) => writeFileSync(join(d, "onnx/model.onnx"), readFileSync(join(d, "onnx/model.onnx")).subarray(0, 5000)), /model.onnx is not a readable ONNX model/],
    ["no ONNX file", (d) => rmSync(join(d, "onnx/model.onnx")), /model.onnx is missing/],
  ];
  for (const [what, breakIt, message] of cases) {
    const dir = copyOfFixture();
    breakIt(dir);
    try {
      await checkModel(dir);
      assert.unreachable(`${what} was accepted`);
    } catch (e) {
      assert.match((e as Error).message, message, what);
    }
  }
});

test("the shipped default model meets its targets, as scripts/model-metrics.mjs measures them", () => {
  const m = JSON.parse(execFileSync(process.execPath, [join(ROOT, "scripts/model-metrics.mjs")], { encoding: "utf8" })) as {
    model: string;
    embeddings: { words: string[]; margin: number };
    quantization: { top1Agreement: number; sizeRatio: number; positions: number };
    generation: { fp32: string; q8: string };
    folderBytes: number;
  };
  assert.ok(m.model.endsWith("phi3-tiny-course"));
  assert.equal(m.embeddings.words, ["dog", "cat", "car"]);
  assert.ok(m.embeddings.margin >= 0.15, `cos(dog, cat) - cos(dog, car) = ${m.embeddings.margin}`);
  assert.ok(m.quantization.positions > 1000);
  assert.ok(m.quantization.top1Agreement >= 0.95, `top-1 agreement ${m.quantization.top1Agreement}`);
  assert.ok(m.quantization.sizeRatio <= 0.35, `size ratio ${m.quantization.sizeRatio}`);
  assert.ok(m.folderBytes < 25e6, `${m.folderBytes} bytes`);
  for (const text of [m.generation.fp32, m.generation.q8]) {
    assert.ok(text.startsWith("A language model is "), text);
    const words = text.slice("A language model is ".length).split(/\s+/).filter(Boolean);
    assert.ok(words.length >= 3 && words.every((w) => /^[A-Za-z]+[.,;:!?]?$/.test(w)), `not plain words: ${text}`);
  }
});

test("model check passes on the shipped default model", async () => {
  const { lines } = await checkModel(join(ROOT, "model-cache/phi3-tiny-course"));
  assert.match(lines.join("\n"), /q8: \d+ modules; greedy: " ?A language model is/);
});

test("the dynamic form uses MatMulInteger and still loads", async () => {
  const dir = copyOfFixture();
  quantizeFolder(dir, "dynamic");
  assert.ok(readFileSync(join(dir, "onnx/model_quantized.onnx")).includes(Buffer.from("MatMulInteger")));
  const { tokenizer, model } = await loadModel({ model: dir, dtype: "q8" });
  assert.equal(((await model.forward(tokenizer("A dog"))).logits as Tensor).dims.length, 3);
});

test.run();
