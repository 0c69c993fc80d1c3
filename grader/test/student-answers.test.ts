// Grades a kept set of student answers, right and wrong, written independently of the instructor's solution
// (fixtures/student-answers/<question>/*.txt). Each file's first line states its verdict, from what the answer is:
// "// fails: none" for a right answer, or the names (prefixes) of the tests it must fail, separated by " | ".
// The notebooks are the release notebook with the answer cells replaced (by grade_id), graded in one batch.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gradeBatch } from "../src/grade/grade-batch.js";
import type { QuestionScore } from "../src/grade/score-document.js";
import { toSourceLines } from "../src/notebook/nbformat.js";
import { formatNotebook, readNotebook } from "../src/notebook/read-notebook.js";
import { ROOT } from "./helpers.js";

const FIXTURES = join(ROOT, "grader/test/fixtures/student-answers");
const QUESTIONS = ["softmax", "similarity-matrix"] as const;
type Question = (typeof QUESTIONS)[number];

interface Variant {
  question: Question;
  name: string;
  source: string;
  /** test-name prefixes the answer must fail; empty for a right answer */
  fails: string[];
}

async function variants(question: Question): Promise<Variant[]> {
  const names = (await readdir(join(FIXTURES, question))).filter((f) => f.endsWith(".txt")).sort();
  return Promise.all(names.map(async (file) => {
    const source = await readFile(join(FIXTURES, question, file), "utf8");
    const verdict = /^\/\/ fails: (.*)$/m.exec(source.split("\n")[0]!)?.[1];
    if (verdict === undefined) throw new Error(`${question}/${file}: the first line should be "// fails: none" or "// fails: <test> | <test>"`);
    const fails = verdict === "none" ? [] : verdict.split(" | ").map((s) => s.trim());
    return { question, name: file.replace(/\.txt$/, ""), source, fails };
  }));
}

const softmax = await variants("softmax");
const similarity = await variants("similarity-matrix");
// one notebook per pair; the shorter list is reused from its start, so every variant is graded at least once
const pairs = Array.from({ length: Math.max(softmax.length, similarity.length) }, (_, i) => ({
  softmax: softmax[i % softmax.length]!,
  "similarity-matrix": similarity[i % similarity.length]!,
}));

const release = await readNotebook(join(ROOT, "assignments/llm-architecture/llm-architecture.ipynb"));
const work = await mkdtemp(join(tmpdir(), "student-answers-"));
await mkdir(join(work, "submissions"));
const students = pairs.map((_, i) => `answers-${String(i + 1).padStart(2, "0")}`);
for (const [i, pair] of pairs.entries()) {
  const cells = release.cells.map((cell) => {
    const id = cell.metadata.nbgrader?.solution ? cell.metadata.nbgrader.grade_id : undefined;
    if (id === "nn-definition") return { ...cell, source: toSourceLines("Layers of weighted sums and activations, trained by gradient descent.") };
    if (id === "softmax" || id === "similarity-matrix") return { ...cell, source: toSourceLines(pair[id].source) };
    return cell;
  });
  await writeFile(join(work, "submissions", `${students[i]}.ipynb`), formatNotebook({ ...release, cells }));
}

const started = Date.now();
const batch = await gradeBatch({
  inputs: [join(work, "submissions")],
  outDir: join(work, "grades"),
  projectRoot: ROOT,
  solutionsDir: join(ROOT, "solutions"),
  jobs: 2,
});
console.log(`  graded ${pairs.length} notebooks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
test.after(() => rm(work, { recursive: true, force: true }));

const doc = (i: number) => batch.documents.find((d) => d.student === students[i])!;

test("the kept set has right and wrong answers for both questions, and every notebook was graded", () => {
  for (const list of [softmax, similarity]) {
    assert.ok(list.some((v) => v.fails.length === 0) && list.some((v) => v.fails.length > 0));
  }
  assert.is(batch.documents.length, pairs.length);
  for (const [i] of pairs.entries()) assert.is(doc(i).status, "graded", `${students[i]}: ${doc(i).messages.join("\n")}`);
});

function verdict(q: QuestionScore, v: Variant): void {
  const label = `${v.question}/${v.name}`;
  for (const prefix of v.fails) {
    assert.is(q.tests.filter((t) => t.name.startsWith(prefix)).length, 1, `${label}: "${prefix}" should name exactly one test of ${q.tests.map((t) => t.name).join(", ")}`);
  }
  const shouldFail = (name: string) => v.fails.some((prefix) => name.startsWith(prefix));
  for (const t of q.tests) {
    assert.is(t.passed, !shouldFail(t.name), `${label}: "${t.name}" ${t.passed ? "passed" : `failed (${t.message})`}`);
  }
  const lost = q.tests.filter((t) => shouldFail(t.name)).reduce((a, t) => a + t.maxPoints, 0);
  assert.ok(Math.abs(q.score - (q.maxScore - lost)) < 1e-5, `${label}: ${q.score} of ${q.maxScore}, expected to lose ${lost}`); // scores are rounded to 6 decimals
}

for (const question of QUESTIONS) {
  test(`${question}: every right answer gets full marks, every wrong one loses exactly the points of the tests it should fail`, () => {
    for (const [i, pair] of pairs.entries()) {
      const q = doc(i).questions.find((x) => x.id === question)!;
      verdict(q, pair[question]);
    }
  });
}

test("a wrong softmax is told where p differs from the softmax, and with which values", () => {
  const i = pairs.findIndex((p) => p.softmax.name === "wrong-temperature");
  const t = doc(i).questions.find((q) => q.id === "softmax")!.tests.find((x) => x.name.startsWith("p equals the softmax"))!;
  assert.match(t.message, /^p\[0, \d+, \d+\] is \S+, but the softmax of the logits there is \S+ \(more than 0\.00001 apart\)/);
});

test("a notebook with both answers right gets every autograded point", () => {
  const full = pairs.map((p, i) => ({ p, d: doc(i) })).filter(({ p }) => p.softmax.fails.length === 0 && p["similarity-matrix"].fails.length === 0);
  assert.ok(full.length > 0);
  for (const { d } of full) assert.is(d.score, d.questions.reduce((a, q) => a + q.maxScore, 0));
});

test.run();
