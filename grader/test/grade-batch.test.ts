// Batch behaviour: parallel jobs give the same results in the same order, reruns are identical apart from timing,
// and --resume keeps only results made from the same file by the same grader version.
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gradeBatch } from "../src/grade/grade-batch.js";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { ROOT } from "./helpers.js";

const subs = await mkdtemp(join(tmpdir(), "batch-subs-"));
for (const name of ["complete", "untouched", "not-json"]) await cp(join(ROOT, "examples/llm-architecture", `${name}.ipynb`), join(subs, `${name}.ipynb`));
const base = { inputs: [subs], projectRoot: ROOT, solutionsDir: join(ROOT, "solutions") };
const withoutTiming = (doc: ScoreDocument) => ({ ...doc, timing: undefined });

test("--jobs 2 grades in parallel, keeps the submissions' order, and a rerun gives the same documents apart from timing", async () => {
  const a = await mkdtemp(join(tmpdir(), "batch-a-"));
  const b = await mkdtemp(join(tmpdir(), "batch-b-"));
  const order: string[] = [];
  const first = await gradeBatch({ ...base, outDir: a, jobs: 2, onProgress: (_d, _t, doc) => void order.push(doc.student) });
  const second = await gradeBatch({ ...base, outDir: b, jobs: 1 });
  assert.equal(first.documents.map((d) => d.student), ["complete", "not-json", "untouched"]);
  assert.equal(first.summary.results.map((r) => r.student), ["complete", "not-json", "untouched"]);
  assert.equal(order.slice().sort(), ["complete", "not-json", "untouched"]);
  assert.equal(first.documents.map(withoutTiming), second.documents.map(withoutTiming));
  assert.is(await readFile(join(a, "summary.json"), "utf8"), await readFile(join(b, "summary.json"), "utf8"));
  assert.is(first.documents.find((d) => d.student === "complete")!.score, first.documents.find((d) => d.student === "complete")!.questions.reduce((s, q) => s + q.maxScore, 0));
});

test("--resume keeps unchanged results and regrades a changed file or another grader's result", async () => {
  const out = await mkdtemp(join(tmpdir(), "batch-resume-"));
  await gradeBatch({ ...base, outDir: out, jobs: 2 });
  const untouchedBefore = await readFile(join(out, "students/untouched.json"), "utf8");
  // the student resubmits "untouched" with the complete notebook; "not-json" was graded by another grader version
  await cp(join(ROOT, "examples/llm-architecture/complete.ipynb"), join(subs, "untouched.ipynb"));
  const other = JSON.parse(await readFile(join(out, "students/not-json.json"), "utf8")) as ScoreDocument;
  other.manifest!.versions.grader = "0.0.0-older";
  other.timing!.modifiedAt = "2099-01-01T00:00:00.000Z"; // a clock that was ahead: the regrade must still be later
  await writeFile(join(out, "students/not-json.json"), JSON.stringify(other));
  const kept: string[] = [];
  const run = await gradeBatch({ ...base, outDir: out, jobs: 2, resume: true, onProgress: (_d, _t, doc, reused) => void (reused && kept.push(doc.student)) });
  assert.equal(kept, ["complete"]);
  assert.is(run.reused, 1);
  assert.equal(run.regraded, { tests: 0, model: 0, grader: 1, sandbox: 0 }, "not-json: its manifest names another grader");
  const untouchedAfter = JSON.parse(await readFile(join(out, "students/untouched.json"), "utf8")) as ScoreDocument;
  assert.is.not(JSON.stringify(untouchedAfter), untouchedBefore);
  assert.is(untouchedAfter.score, run.documents.find((d) => d.student === "complete")!.score, "the resubmitted notebook was graded again");
  const notJson = JSON.parse(await readFile(join(out, "students/not-json.json"), "utf8")) as ScoreDocument;
  assert.is.not(notJson.manifest!.versions.grader, "0.0.0-older");
  assert.is(notJson.timing!.modifiedAt, "2099-01-01T00:00:00.001Z", "a regrade's time is later than the document it replaces");
  // a regraded resubmission's time is later than its first grading
  assert.ok(Date.parse(untouchedAfter.timing!.modifiedAt!) > Date.parse((JSON.parse(untouchedBefore) as ScoreDocument).timing!.modifiedAt!));
});

test("every document and the summary carry the batch's manifest: hashes of the notebooks, model files and lockfile, the versions, the sandbox", async () => {
  const out = await mkdtemp(join(tmpdir(), "batch-manifest-"));
  const run = await gradeBatch({ ...base, outDir: out, jobs: 2 });
  const m = run.summary.manifest!;
  const sha = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");
  assert.is(m.assignment.source, sha(await readFile(join(ROOT, "solutions/llm-architecture/llm-architecture.ipynb"))));
  assert.is(m.lockfile, sha(await readFile(join(ROOT, "package-lock.json"))));
  assert.is(m.model["phi3-tiny-course/onnx/model_quantized.onnx"], sha(await readFile(join(ROOT, "model-cache/phi3-tiny-course/onnx/model_quantized.onnx"))));
  assert.is(m.versions.node, process.version);
  assert.is(m.versions.onnxruntime, JSON.parse(await readFile(join(ROOT, "node_modules/onnxruntime-node/package.json"), "utf8")).version);
  assert.is(m.versions.tslab, JSON.parse(await readFile(join(ROOT, "node_modules/tslab/package.json"), "utf8")).version);
  assert.is(m.versions.transformers, JSON.parse(await readFile(join(ROOT, "node_modules/@huggingface/transformers/package.json"), "utf8")).version);
  assert.ok(m.sandbox.includes("node-permission-model"));
  for (const d of run.documents) assert.equal(d.manifest, m);
  assert.equal(JSON.parse(await readFile(join(out, "summary.json"), "utf8")).manifest, m);
  // no temporary files are left beside the documents (they are written, then renamed)
  assert.equal((await readdir(join(out, "students"))).sort(), ["complete.json", "not-json.json", "untouched.json"]);
});

test("--resume after an instructor changes a hidden test: every document is graded again, and shows the new test", async () => {
  const solutions = await mkdtemp(join(tmpdir(), "batch-solutions-"));
  await cp(join(ROOT, "solutions"), solutions, { recursive: true });
  const out = await mkdtemp(join(tmpdir(), "batch-changed-test-"));
  const one = await mkdtemp(join(tmpdir(), "batch-one-"));
  await cp(join(ROOT, "examples/llm-architecture/complete.ipynb"), join(one, "complete.ipynb"));
  await gradeBatch({ ...base, inputs: [one], solutionsDir: solutions, outDir: out, jobs: 1 });
  const path = join(solutions, "llm-architecture/llm-architecture.ipynb");
  const nb = await readFile(path, "utf8");
  const renamed = nb.replace("the argmax of p equals the argmax of the logits", "the most probable token of p is the argmax of the logits");
  assert.is.not(renamed, nb, "the hidden test to rename is in the source notebook");
  await writeFile(path, renamed);
  const run = await gradeBatch({ ...base, inputs: [one], solutionsDir: solutions, outDir: out, jobs: 1, resume: true });
  assert.is(run.reused, 0);
  assert.is(run.regraded.tests, 1);
  const doc = JSON.parse(await readFile(join(out, "students/complete.json"), "utf8")) as ScoreDocument;
  const names = doc.questions.flatMap((q) => q.tests.map((t) => t.name));
  assert.ok(names.includes("the most probable token of p is the argmax of the logits"), names.join(" | "));
  assert.not.ok(names.includes("the argmax of p equals the argmax of the logits"));
  // and a second --resume keeps it: nothing changed since
  const again = await gradeBatch({ ...base, inputs: [one], solutionsDir: solutions, outDir: out, jobs: 1, resume: true });
  assert.is(again.reused, 1);
});

test.run();
