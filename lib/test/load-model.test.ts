import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_MODEL, loadModel, modelCacheDir } from "../src/index.js";
import { ROOT, TINY } from "./helpers.js";

test("the default model is read from the package's model-cache folder", async () => {
  assert.is(modelCacheDir(), join(ROOT, "model-cache"));
  const { model } = await loadModel();
  assert.is(model.dir, join(ROOT, "model-cache", DEFAULT_MODEL));
  assert.is(model.dtype, "q8", "the default model has an 8-bit file, which is preferred");
  assert.is((await loadModel({ model: TINY })).model.dtype, "fp32", "a folder without an 8-bit file loads as fp32");
});

test("an unknown model name is refused with the folder searched and what to do", async () => {
  try {
    await loadModel({ model: "no-such-model" });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, new RegExp(`No model "no-such-model" at ${join(ROOT, "model-cache", "no-such-model")}`));
    assert.match((e as Error).message, /COURSEWARE_MODEL/);
  }
});

test("a model folder with a missing file is refused, naming the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "model-"));
  cpSync(TINY, dir, { recursive: true });
  rmSync(join(dir, "tokenizer_config.json"));
  try {
    await loadModel({ model: dir });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /has no tokenizer_config.json/);
  }
  try {
    await loadModel({ model: TINY, dtype: "q8" });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /no onnx\/model_quantized.onnx for dtype "q8"/);
  }
});

test("COURSEWARE_MODEL_CACHE and COURSEWARE_MODEL pick another cache and model", async () => {
  const cache = mkdtempSync(join(tmpdir(), "cache-"));
  cpSync(TINY, join(cache, "copy"), { recursive: true });
  process.env["COURSEWARE_MODEL_CACHE"] = cache;
  process.env["COURSEWARE_MODEL"] = "copy";
  try {
    const { model } = await loadModel();
    assert.is(model.dir, join(cache, "copy"));
  } finally {
    delete process.env["COURSEWARE_MODEL_CACHE"];
    delete process.env["COURSEWARE_MODEL"];
  }
});

test.run();
