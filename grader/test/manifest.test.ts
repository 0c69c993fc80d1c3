// What --resume compares: each part of a manifest that changes is named, so the end screen can say why a document
// was graded again; a document without a manifest (an older grader) is always graded again.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Manifest, loadedFile, manifestChanges, manifestDifferences } from "../src/grade/manifest.js";

const H = (c: string) => c.repeat(64);
const base: Manifest = {
  assignment: { source: H("a"), release: H("b") },
  model: { "m/config.json": H("c"), "m/onnx/model_quantized.onnx": H("d") },
  lockfile: H("e"),
  versions: { grader: "0.1.0", node: "v20.20.2", onnxruntime: "1.30.0", transformers: "4.3.2", tslab: "1.0.22" },
  sandbox: ["node-permission-model", "bubblewrap"],
};
const copy = (): Manifest => JSON.parse(JSON.stringify(base));

test("the same manifest: nothing changed, the document may be kept", () => {
  assert.equal(manifestChanges(copy(), base), []);
});

test("each changed part is named", () => {
  const cases: Array<[(m: Manifest) => void, string[]]> = [
    [(m) => void (m.assignment.source = H("f")), ["tests"]],
    [(m) => void (m.assignment.release = H("f")), ["tests"]],
    [(m) => void (m.model["m/onnx/model_quantized.onnx"] = H("f")), ["model"]],
    [(m) => void delete m.model["m/config.json"], ["model"]],
    [(m) => void (m.lockfile = H("f")), ["grader"]],
    [(m) => void (m.versions.node = "v24.22.3"), ["grader"]],
    [(m) => void (m.versions.onnxruntime = "1.31.0"), ["grader"]],
    [(m) => void m.sandbox.pop(), ["sandbox"]],
    [(m) => { m.assignment.source = H("f"); m.versions.tslab = "1.0.23"; }, ["tests", "grader"]],
  ];
  for (const [change, want] of cases) {
    const m = copy();
    change(m);
    assert.equal(manifestChanges(m, base), want, JSON.stringify(want));
  }
});

test("a document from a grader that kept no manifest is graded again", () => {
  assert.equal(manifestChanges(undefined, base), ["grader"]);
});

test("the model files in a manifest are those transformers.js loads", () => {
  for (const f of ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx", "onnx/model_quantized.onnx", "onnx/model.onnx_data"]) assert.ok(loadedFile(f), f);
  for (const f of ["model.safetensors", "README.md", "heldout.txt", "training.json", "recipe/config.json"]) assert.not.ok(loadedFile(f), f);
});

test("a refusing queue worker says what differs, in words: the file, the version, the layers", () => {
  const theirs = copy();
  theirs.model["m/onnx/model_quantized.onnx"] = H("f");
  theirs.versions.node = "v24.1.0";
  theirs.sandbox = ["node-permission-model"];
  assert.equal(manifestDifferences(theirs, base), [
    "model: m/onnx/model_quantized.onnx differs",
    "grader: node v20.20.2 here, v24.1.0 in the batch",
    "sandbox: node-permission-model + bubblewrap here, node-permission-model in the batch",
  ]);
  delete theirs.model["m/config.json"];
  assert.ok(manifestDifferences(theirs, base).includes("model: m/config.json is here but not in the batch's model"));
  assert.equal(manifestDifferences(copy(), base), []);
});

test.run();
