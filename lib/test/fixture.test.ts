import { readFileSync, readdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildTinyModel } from "./fixtures/tiny-models/build.js";
import { TINY, tiny } from "./helpers.js";

const FILES = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"];

test("the builder is deterministic and the committed fixture model is what it builds", () => {
  const a = mkdtempSync(join(tmpdir(), "tiny-a-"));
  const b = mkdtempSync(join(tmpdir(), "tiny-b-"));
  buildTinyModel(a);
  buildTinyModel(b);
  assert.equal(readdirSync(a).sort(), readdirSync(b).sort());
  for (const f of FILES) {
    const built = readFileSync(join(a, f));
    assert.ok(built.equals(readFileSync(join(b, f))), `${f} differs between two builds`);
    assert.ok(built.equals(readFileSync(join(TINY, f))), `model-cache/phi3-tiny-random/${f} is stale: run npm run build:tiny-model`);
  }
});

test("the lesson's words are single tokens and a prompt starts with the BOS token", async () => {
  const { tokenizer, model } = await tiny();
  const ids = tokenizer.encode("dog cat car", { add_special_tokens: false });
  assert.is(ids.length, 3);
  assert.equal(ids.map((id) => tokenizer.decode([id]).trim()), ["dog", "cat", "car"]);
  const withBos = tokenizer.encode("A language model is");
  assert.is(withBos[0], (model.config as { bos_token_id: number }).bos_token_id);
  assert.is(withBos.length, 5);
});

test("the vocabulary has the words with and without a leading space, and the text picks the right one", async () => {
  const { tokenizer } = await tiny();
  const vocab = tokenizer.get_vocab() as Map<string, number>;
  for (const word of ["dog", "cat", "car", "Ġdog", "Ġcat", "Ġcar", "ĠA", "Ġlanguage", "Ġmodel", "Ġis"]) {
    assert.ok(vocab.has(word), `no token "${word}"`);
  }
  assert.equal(tokenizer.tokenize("dog (cat) car"), ["Ġdog", "Ġ(", "cat", ")", "Ġcar"].map((t) => (t === "Ġ(" ? ["Ġ", "("] : [t])).flat());
});

test.run();
