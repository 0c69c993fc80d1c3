import onnxProto from "onnx-proto";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tensor, loadModel } from "../src/index.js";
import { flattenOutput } from "../src/module-signature.js";
import { TINY, tiny } from "./helpers.js";

/** The embedding matrix as stored in the ONNX file, read independently of the library. */
function embeddingWeight(): { dims: number[]; data: Float32Array } {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(`${TINY}/onnx/model.onnx`));
  const t = model.graph!.initializer!.find((i) => i.name === "model.embed_tokens.weight")!;
  const raw = t.rawData!;
  return { dims: t.dims!.map(Number), data: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) };
}

test("the embedding's forward(tokenIds) returns the rows of its weight matrix", async () => {
  const { tokenizer, model } = await tiny();
  const ids = tokenizer.encode("dog cat car", { add_special_tokens: false });
  const out = (await model.getSubmodule("model.embed_tokens").forward(ids)) as Tensor;
  const w = embeddingWeight();
  const d = w.dims[1]!;
  assert.equal(out.dims, [3, d]);
  ids.forEach((id, i) => {
    assert.equal(Array.from((out.data as Float32Array).subarray(i * d, (i + 1) * d)), Array.from(w.data.subarray(id * d, (id + 1) * d)));
  });
});

test("forward() of the embedding equals what its hook recorded in a full run, for any input form", async () => {
  const { tokenizer, model } = await tiny();
  const embedding = model.getSubmodule("model.embed_tokens");
  let recorded: Tensor | null = null;
  const h = embedding.registerForwardHook((_m, _a, output) => void (recorded = output as Tensor));
  const enc = tokenizer("A language model is");
  await model.forward(enc);
  h.remove();
  const ids = enc.input_ids as Tensor;
  for (const input of [ids, ids.tolist(), (ids.tolist() as bigint[][]).map((r) => r.map(Number))]) {
    const direct = (await embedding.forward(input)) as Tensor;
    assert.equal(direct.dims, recorded!.dims);
    assert.equal(Array.from(direct.data as Float32Array), Array.from(recorded!.data as Float32Array));
  }
});

test("forward() explains wrong arguments", async () => {
  const { model } = await tiny();
  const embedding = model.getSubmodule("model.embed_tokens");
  try {
    await embedding.forward();
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /takes 1 input\(s\) \(input_ids\), got 0/);
  }
  try {
    await embedding.forward([[1, 2], [3]]);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /ragged/);
  }
});

const close = (a: Tensor, b: Tensor, tol: number, what: string) => {
  assert.equal(a.dims, b.dims, `${what}: dims`);
  const x = a.data as Float32Array, y = b.data as Float32Array;
  const scale = y.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-12);
  const worst = x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
  assert.ok(worst <= tol * scale, `${what}: differs by ${worst} (scale ${scale})`);
};

test("a Linear's forward(x) is x times its weight's transpose", async () => {
  const { model } = await tiny();
  const linear = model.getSubmodule("model.layers.1.mlp.down_proj");
  const w = linear.parameters()[0]!.value();
  const [dout, din] = w.dims as [number, number];
  const x = Array.from({ length: 2 }, (_, r) => Array.from({ length: din }, (_, c) => Math.sin(r * 31 + c)));
  const y = (await linear.forward([x])) as Tensor;
  assert.equal(y.dims, [1, 2, dout]);
  const wd = w.data as Float32Array;
  for (let r = 0; r < 2; r++) {
    for (let o = 0; o < dout; o++) {
      let sum = 0;
      for (let c = 0; c < din; c++) sum += x[r]![c]! * wd[o * din + c]!;
      assert.ok(Math.abs((y.data as Float32Array)[r * dout + o]! - sum) < 1e-4, `y[${r}][${o}]`);
    }
  }
});

for (const [label, options] of [["the random fixture (fp32)", { model: TINY, dtype: "fp32" }], ["the shipped default model (8-bit)", {}]] as const) {
  test(`${label}: forward() of an embedding, a linear and a decoder layer reproduces the full model's recorded values`, async () => {
    const { tokenizer, model } = await loadModel(options);
    const names = ["model.embed_tokens", "model.layers.1.self_attn.qkv_proj", "model.layers.1.mlp.down_proj", "model.layers.0", "model.layers.1", "model.norm"];
    const { cache } = await model.runWithCache(tokenizer("The dog and the cat sat in the car"), { names });
    for (const name of names) {
      const { args, output } = cache.get(name);
      const direct = await model.getSubmodule(name).forward(...args);
      const expected = flattenOutput(output);
      const got = flattenOutput(direct);
      assert.is(got.length, expected.length, `${name}: number of outputs`);
      got.forEach((t, i) => close(t, expected[i]!, 1e-5, `${name} output ${i}`));
    }
    // the decoder layer returns its hidden states and its key/value cache entries
    assert.ok(model.getSubmodule("model.layers.0").outputNames.includes("present.0.key"));
  });
}

test.run();
