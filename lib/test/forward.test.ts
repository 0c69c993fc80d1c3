import onnxProto from "onnx-proto";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tensor } from "../src/index.js";
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

test.run();
