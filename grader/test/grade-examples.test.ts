import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gradeBatch } from "../src/grade/grade-batch.js";
import { assertScoreDocument, assertSummaryDocument } from "../src/grade/schema.js";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { isTestCell, sourceOf } from "../src/notebook/nbformat.js";
import { readNotebook } from "../src/notebook/read-notebook.js";
import { ROOT } from "./helpers.js";

const out = await mkdtemp(join(tmpdir(), "grades-"));
const batch = await gradeBatch({
  inputs: [join(ROOT, "examples/llm-architecture")],
  outDir: out,
  projectRoot: ROOT,
  solutionsDir: join(ROOT, "solutions"),
});
const docs = new Map<string, ScoreDocument>();
for (const name of await readdir(join(out, "students"))) {
  const doc: unknown = JSON.parse(await readFile(join(out, "students", name), "utf8"));
  assertScoreDocument(doc);
  docs.set(doc.student, doc);
}
const question = (doc: ScoreDocument, id: string) => doc.questions.find((q) => q.id === id)!;
const autoMax = (doc: ScoreDocument) => doc.questions.reduce((a, q) => a + q.maxScore, 0);

test("every example gets a schema-valid score document, and the summary lists them", async () => {
  assert.equal([...docs.keys()].sort(), ["complete", "not-json", "partly-right", "untouched"]);
  const summary: unknown = JSON.parse(await readFile(join(out, "summary.json"), "utf8"));
  assertSummaryDocument(summary);
  assert.equal(summary.byStatus, { graded: 3, invalid: 1, error: 0, timeout: 0 });
  assert.equal(summary, batch.summary);
});

test("the instructor's solution gets full marks on every auto-graded question", () => {
  const doc = docs.get("complete")!;
  assert.is(doc.status, "graded");
  assert.ok(doc.questions.length >= 2);
  for (const q of doc.questions) {
    assert.ok(q.tests.length > 0);
    assert.ok(q.tests.every((t) => t.passed), `${q.id}: ${q.tests.filter((t) => !t.passed).map((t) => t.message).join("; ")}`);
    assert.is(q.score, q.maxScore);
  }
  assert.is(doc.score, autoMax(doc));
  assert.ok(doc.maxScore > doc.score, "the free-text question adds to maxScore and is left for a person");
  assert.equal(doc.manual.map((m) => [m.id, m.score]), [["nn-definition", null]]);
  assert.match(doc.manual[0]!.answer, /neuron/);
});

test("a partly right submission scores the right question only", () => {
  const doc = docs.get("partly-right")!;
  assert.is(doc.status, "graded");
  assert.is(question(doc, "softmax").score, question(doc, "softmax").maxScore);
  const similarity = question(doc, "similarity-matrix");
  // dot products: a symmetric 3 x 3 matrix (one public check passes) but not the cosines (the others fail)
  assert.ok(similarity.score < similarity.maxScore);
  assert.equal(similarity.tests.map((t) => [t.hidden, t.passed]), [[false, true], [false, false], [true, false]]);
  assert.match(similarity.tests[1]!.message, /cosine similarity with itself is 1/);
  assert.match(similarity.tests[2]!.message, /off by more than/);
  assert.is(similarity.score, similarity.tests[0]!.points);
});

test("each document keeps the code answer cells as the student wrote them, for the report's comparison", async () => {
  const submitted = await readNotebook(join(ROOT, "examples/llm-architecture/partly-right.ipynb"));
  const theirs = (id: string) => sourceOf(submitted.cells.find((c) => c.metadata.nbgrader?.grade_id === id)!);
  const doc = docs.get("partly-right")!;
  assert.equal(doc.answerCells?.map((c) => c.id), ["softmax", "similarity-matrix"]);
  for (const cell of doc.answerCells!) assert.is(cell.source, theirs(cell.id));
  assert.match(doc.answerCells![0]!.source, /Math\.exp|softmax/);
  assert.is(docs.get("not-json")!.answerCells, undefined, "an unreadable file has no answer cells");
});

test("a value the notebook never set fails its tests with the reason, not a crash", () => {
  const doc = docs.get("untouched")!;
  const softmax = question(doc, "softmax");
  assert.ok(softmax.tests.length >= 4);
  assert.ok(softmax.tests.every((t) => /`p` has no value when the notebook finishes/.test(t.message)), softmax.tests.map((t) => t.message).join("\n"));
});

test("the untouched release notebook is graded 0 and told which cells are not implemented", () => {
  const doc = docs.get("untouched")!;
  assert.is(doc.status, "graded");
  assert.is(doc.score, 0);
  assert.ok(doc.questions.every((q) => q.tests.length > 0 && q.tests.every((t) => !t.passed)));
  assert.ok(doc.messages.some((m) => m.includes('"softmax"') && m.includes("Not implemented")), doc.messages.join("\n"));
  assert.equal(doc.manual.map((m) => m.answer), ["YOUR ANSWER HERE"]);
});

test("a file that is not JSON is invalid with a clear message, and the batch goes on", () => {
  const doc = docs.get("not-json")!;
  assert.is(doc.status, "invalid");
  assert.is(doc.score, 0);
  assert.match(doc.messages.join("\n"), /not a Jupyter notebook: it is not valid JSON/);
});

test("no score document carries hidden test code", async () => {
  const source = await readNotebook(join(ROOT, "solutions/llm-architecture/llm-architecture.ipynb"));
  const hidden = source.cells.filter((c) => isTestCell(c) && c.metadata.courseware?.hidden !== false).flatMap((c) => sourceOf(c).split("\n")).map((l) => l.trim()).filter((l) => l.length > 20);
  for (const name of await readdir(join(out, "students"))) {
    const text = await readFile(join(out, "students", name), "utf8");
    for (const line of hidden) assert.not.ok(text.includes(line), `${name} contains hidden test code: ${line}`);
  }
});

test.run();
