// The second lesson, inside-the-transformer, end to end:
// - its solutions notebook runs top to bottom in the real tslab kernel through Jupyter (this project's kernel spec,
//   as grader/test/notebooks.test.ts runs the first lesson) with no error and every check passing;
// - its release notebook fails only in the exercise cells (grader/test/run_cells.py), and the checks say why;
// - `npm run grade:examples` (scripts/grade-examples.mjs) grades every assignment's examples into
//   <out>/<assignment>/, with the scores the README gives;
// - a kept set of answers, right and wrong, written apart from the solution
//   (fixtures/student-answers-inside-the-transformer/<question>/*.txt, first line "// fails: none" or
//   "// fails: <test> | <test>"), pasted into copies of the complete example and graded in one batch: right answers
//   keep every point, wrong ones lose exactly the points of the tests they must fail, and every hidden test fails
//   for at least one of the wrong answers.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gradeBatch } from "../src/grade/grade-batch.js";
import { assertScoreDocument, assertSummaryDocument } from "../src/grade/schema.js";
import type { QuestionScore, ScoreDocument } from "../src/grade/score-document.js";
import { toSourceLines } from "../src/notebook/nbformat.js";
import { formatNotebook, readNotebook } from "../src/notebook/read-notebook.js";
import { ROOT, jupyterEnvIn } from "./helpers.js";

const ASSIGNMENT = "inside-the-transformer";
const PYTHON = "/usr/bin/python3";
const JUPYTER = "/usr/bin/jupyter";
const SOURCE = join(ROOT, `solutions/${ASSIGNMENT}/${ASSIGNMENT}.ipynb`);
const RELEASE = join(ROOT, `assignments/${ASSIGNMENT}/${ASSIGNMENT}.ipynb`);
const EXAMPLES = join(ROOT, `examples/${ASSIGNMENT}`);
const FIXTURES = join(ROOT, `grader/test/fixtures/student-answers-${ASSIGNMENT}`);
const QUESTIONS = ["logit-lens", "mlp-ablation", "patching", "temperature", "top-p"] as const;
type Question = (typeof QUESTIONS)[number];

/** A scratch folder inside the project (so notebooks resolve @courseware/lib from its node_modules), removed at the end. */
const work = join(ROOT, ".courseware-work", `lesson-inside-${randomBytes(4).toString("hex")}`);
mkdirSync(work, { recursive: true });
test.after(() => rmSync(work, { recursive: true, force: true }));
const jupyterEnv = jupyterEnvIn(work);

interface RunCell {
  cell_type: string;
  metadata: { nbgrader?: { grade_id?: string; solution?: boolean } };
  outputs?: Array<Record<string, unknown>>;
}
const outputText = (c: RunCell) =>
  (c.outputs ?? []).map((o) => [o["text"], (o["data"] as Record<string, unknown> | undefined)?.["text/plain"]].flat().join("")).join("");
const mimes = (c: RunCell) => new Set((c.outputs ?? []).flatMap((o) => Object.keys((o["data"] as Record<string, unknown> | undefined) ?? {})));

test("the solutions notebook runs top to bottom in the tslab kernel with no error, every check passes, and its figures are shown", () => {
  copyFileSync(SOURCE, join(work, "solutions.ipynb"));
  const started = Date.now();
  const r = spawnSync(
    JUPYTER,
    ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180", "--output", "solutions-run.ipynb", join(work, "solutions.ipynb")],
    { encoding: "utf8", env: jupyterEnv, cwd: work, timeout: 300_000 },
  );
  assert.is(r.status, 0, r.stderr.slice(-3000));
  console.log(`  solutions notebook ran in ${((Date.now() - started) / 1000).toFixed(1)} s (kernel start included)`);
  const run = JSON.parse(readFileSync(join(work, "solutions-run.ipynb"), "utf8")) as { cells: RunCell[] };
  const code = run.cells.filter((c) => c.cell_type === "code");
  for (const c of code) {
    const bad = (c.outputs ?? []).filter((o) => o["name"] === "stderr" || o["output_type"] === "error");
    assert.equal(bad, [], `cell ${c.metadata.nbgrader?.grade_id} wrote to stderr or raised`);
  }
  const byId = (id: string) => {
    const cell = code.find((c) => c.metadata.nbgrader?.grade_id === id);
    assert.ok(cell, `no cell ${id}`);
    return cell!;
  };
  for (const q of QUESTIONS) {
    for (const id of [`${q}-public`, `${q}-hidden`]) {
      const report = /(\d+) of (\d+) checks passed/.exec(outputText(byId(id)));
      assert.ok(report && report[1] === report[2] && Number(report[1]) > 0, `${id}: ${outputText(byId(id))}`);
    }
  }
  assert.match(outputText(byId("run-prompt")), /most probable next token: " America"/);
  const diff = Number(/largest difference from the model's own attention outputs, all layers and heads: (\S+)/.exec(outputText(byId("attention-patterns")))?.[1]);
  assert.ok(diff < 1e-5, `the attention patterns recomputed from the cache reproduce the model's attention outputs (difference ${diff})`);
  // the named heads are measured: the printed winners are the argmax of the printed score tables
  assert.match(outputText(byId("head-scores")), /previous-token head: layer \d, head \d, score 0\.\d\d\nfirst-token head: layer \d, head \d, score 0\.\d\d/);
  assert.match(outputText(byId("lens-table")), /^Logit lens of "The United States of"/);
  assert.ok(mimes(byId("lens-table")).has("text/html"), "the lens table is an HTML table");
  assert.ok(mimes(byId("run-prompt")).has("text/html"), "the module inspector is shown");
  for (const id of ["all-heads", "head-scores", "named-heads", "head-ablation", "ablation-chart", "patching-chart", "part-patching", "distribution", "temperature-charts", "sampling"]) {
    assert.ok(mimes(byId(id)).has("image/svg+xml"), `${id} draws its chart`);
  }
});

test("the release notebook fails only in the exercise cells, and its checks explain what is missing", () => {
  copyFileSync(RELEASE, join(work, "release.ipynb"));
  const r = spawnSync(PYTHON, [join(ROOT, "grader/test/run_cells.py"), join(work, "release.ipynb"), "tslab"], { encoding: "utf8", env: jupyterEnv, cwd: work, timeout: 300_000 });
  assert.is(r.status, 0, r.stderr.slice(-3000));
  const cells = JSON.parse(r.stdout) as Array<{ index: number; gradeId: string | null; failed: boolean; stderr: string; text: string; mime: string[] }>;
  const release = JSON.parse(readFileSync(RELEASE, "utf8")) as { cells: RunCell[] };
  const exercises = cells.filter((c) => release.cells[c.index]!.metadata.nbgrader?.solution === true).map((c) => c.gradeId);
  assert.equal(exercises, [...QUESTIONS]);
  assert.equal(cells.filter((c) => c.failed).map((c) => c.gradeId), exercises);
  for (const c of cells.filter((c) => c.failed)) assert.match(c.stderr, /Error: Not implemented/);
  const byId = (id: string) => cells.find((x) => x.gradeId === id)!;
  for (const q of QUESTIONS) {
    assert.match(byId(`${q}-public`).text, /0 of \d+ checks passed/);
    assert.match(byId(`${q}-public`).text, /has no value yet: complete the exercise cell/);
  }
  // the figures drawn from an answer ask for it; the others are drawn
  for (const [id, n] of [["lens-table", 1], ["ablation-chart", 2], ["patching-chart", 3], ["temperature-charts", 4], ["sampling", 5]] as const) {
    assert.match(byId(id).text, new RegExp(`Complete Exercise ${n} and run it`));
  }
  for (const id of ["all-heads", "head-scores", "named-heads", "head-ablation", "part-patching", "distribution", "temperature-charts"]) {
    assert.ok(byId(id).mime.includes("image/svg+xml"), `${id} draws its chart`);
  }
});

// ---------- grading ----------

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const scoreOf = (doc: ScoreDocument) => Object.fromEntries(doc.questions.map((q) => [q.id, round(q.score)]));

test("npm run grade:examples grades each assignment's examples into its own folder, with the README's scores", () => {
  const out = join(work, "example-grades");
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/grade-examples.mjs"), "--out", out], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
  assert.is(r.status, 0, r.stdout.slice(-2000) + r.stderr.slice(-2000));
  const read = (assignment: string) => {
    const summary: unknown = JSON.parse(readFileSync(join(out, assignment, "summary.json"), "utf8"));
    assertSummaryDocument(summary);
    assert.is(summary.assignment, assignment);
    const docs = new Map<string, ScoreDocument>();
    for (const name of readdirSync(join(out, assignment, "students"))) {
      const doc: unknown = JSON.parse(readFileSync(join(out, assignment, "students", name), "utf8"));
      assertScoreDocument(doc);
      docs.set(doc.student, doc);
    }
    return docs;
  };
  const first = read("llm-architecture");
  assert.equal(Object.fromEntries([...first].map(([s, d]) => [s, [d.status, d.score, d.maxScore]])), {
    complete: ["graded", 6, 7], "not-json": ["invalid", 0, 7], "partly-right": ["graded", 3.5, 7], untouched: ["graded", 0, 7],
  });
  const docs = read(ASSIGNMENT);
  assert.equal(Object.fromEntries([...docs].map(([s, d]) => [s, [d.status, d.score, d.maxScore]])), {
    complete: ["graded", 15, 17], "partly-right": ["graded", 8.5, 17], untouched: ["graded", 0, 17],
  });
  const complete = docs.get("complete")!;
  for (const q of complete.questions) assert.ok(q.tests.length > 0 && q.tests.every((t) => t.passed), `${q.id}: ${q.tests.filter((t) => !t.passed).map((t) => t.message).join("; ")}`);
  assert.equal(complete.manual.map((m) => [m.id, m.maxScore, m.score]), [["lens-vs-patching", 2, null]]);
  assert.equal(complete.messages, []);
  // partly right: logit lens and patching right; the ablation in logits fails its range check and the hidden test,
  // the temperature applied to the probabilities and top-p one token short pass the public checks only
  const partly = docs.get("partly-right")!;
  assert.equal(scoreOf(partly), { "logit-lens": 3, "mlp-ablation": 0.5, patching: 3, temperature: 1, "top-p": 1 });
  const hiddenFailed = partly.questions.flatMap((q) => q.tests.filter((t) => t.hidden && !t.passed).map((t) => `${q.id}: ${t.message}`));
  assert.equal(hiddenFailed.length, 4);
  assert.match(hiddenFailed.join("\n"), /top-p: nucleus keeps 71 tokens, but the smallest set of most probable tokens with total probability at least 0\.9 has 72/);
  const untouched = docs.get("untouched")!;
  assert.ok(untouched.questions.every((q) => q.score === 0 && q.tests.every((t) => /has no value when the notebook finishes/.test(t.message))));
  for (const q of QUESTIONS) assert.ok(untouched.messages.some((m) => m.includes(`"${q}"`) && m.includes("Not implemented")), untouched.messages.join("\n"));
});

interface Variant {
  question: Question;
  name: string;
  source: string;
  /** test-name prefixes the answer must fail; empty for a right answer */
  fails: string[];
}

function variants(question: Question): Variant[] {
  const names = readdirSync(join(FIXTURES, question)).filter((f) => f.endsWith(".txt")).sort();
  return names.map((file) => {
    const source = readFileSync(join(FIXTURES, question, file), "utf8");
    const verdict = /^\/\/ fails: (.*)$/.exec(source.split("\n")[0]!)?.[1];
    if (verdict === undefined) throw new Error(`${question}/${file}: the first line should be "// fails: none" or "// fails: <test> | <test>"`);
    return { question, name: file.replace(/\.txt$/, ""), source, fails: verdict === "none" ? [] : verdict.split(" | ").map((s) => s.trim()) };
  });
}

const kept = Object.fromEntries(QUESTIONS.map((q) => [q, variants(q)])) as Record<Question, Variant[]>;
// one notebook per index, each question's list reused from its start, so that every variant is graded once at least
const count = Math.max(...QUESTIONS.map((q) => kept[q].length));
const notebooks = Array.from({ length: count }, (_, i) => Object.fromEntries(QUESTIONS.map((q) => [q, kept[q][i % kept[q].length]!])) as Record<Question, Variant>);
const students = notebooks.map((_, i) => `answers-${String(i + 1).padStart(2, "0")}`);

const complete = await readNotebook(join(EXAMPLES, "complete.ipynb"));
mkdirSync(join(work, "answers"));
for (const [i, answers] of notebooks.entries()) {
  const cells = complete.cells.map((cell) => {
    const id = cell.metadata.nbgrader?.solution ? cell.metadata.nbgrader.grade_id : undefined;
    return (QUESTIONS as readonly string[]).includes(id ?? "") ? { ...cell, source: toSourceLines(answers[id as Question].source) } : cell;
  });
  writeFileSync(join(work, "answers", `${students[i]}.ipynb`), formatNotebook({ ...complete, cells }));
}
const started = Date.now();
const batch = await gradeBatch({ inputs: [join(work, "answers")], outDir: join(work, "answer-grades"), projectRoot: ROOT, solutionsDir: join(ROOT, "solutions"), jobs: 2 });
console.log(`  graded ${notebooks.length} notebooks of kept answers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const doc = (i: number) => batch.documents.find((d) => d.student === students[i])!;

test("the kept answers: right and wrong ones for every exercise, each graded", () => {
  for (const q of QUESTIONS) assert.ok(kept[q].some((v) => v.fails.length === 0) && kept[q].some((v) => v.fails.length > 0), q);
  assert.is(batch.documents.length, notebooks.length);
  for (const [i] of notebooks.entries()) {
    assert.is(doc(i).status, "graded", `${students[i]}: ${doc(i).messages.join("\n")}`);
    assert.equal(doc(i).messages, [], `${students[i]}: no cell raised`);
    assert.is(doc(i).assignment, ASSIGNMENT);
  }
});

function verdict(q: QuestionScore, v: Variant): void {
  const label = `${v.question}/${v.name}`;
  for (const prefix of v.fails) {
    assert.is(q.tests.filter((t) => t.name.startsWith(prefix)).length, 1, `${label}: "${prefix}" should name exactly one test of ${q.tests.map((t) => t.name).join(", ")}`);
  }
  const shouldFail = (name: string) => v.fails.some((prefix) => name.startsWith(prefix));
  for (const t of q.tests) assert.is(t.passed, !shouldFail(t.name), `${label}: "${t.name}" ${t.passed ? "passed" : `failed (${t.message})`}`);
  const lost = q.tests.filter((t) => shouldFail(t.name)).reduce((a, t) => a + t.maxPoints, 0);
  assert.ok(Math.abs(q.score - (q.maxScore - lost)) < 1e-5, `${label}: ${q.score} of ${q.maxScore}, expected to lose ${lost}`);
  if (v.fails.length > 0) {
    assert.ok(q.score < q.maxScore, `${label}: a wrong answer keeps every point`);
    assert.ok(q.tests.some((t) => t.hidden && !t.passed), `${label}: a wrong answer passes every hidden test`);
  }
}

for (const question of QUESTIONS) {
  test(`${question}: right answers keep every point, wrong ones lose exactly the points of the tests they must fail`, () => {
    for (const [i, answers] of notebooks.entries()) verdict(doc(i).questions.find((x) => x.id === question)!, answers[question]);
  });
}

test("every hidden test fails for at least one plausible wrong answer", () => {
  const hidden = new Set(doc(0).questions.flatMap((q) => q.tests.filter((t) => t.hidden).map((t) => `${q.id}: ${t.name}`)));
  assert.is(hidden.size, 7);
  const caught = new Set<string>();
  for (const [i, answers] of notebooks.entries()) {
    for (const q of doc(i).questions) {
      if (answers[q.id as Question].fails.length === 0) continue;
      for (const t of q.tests) if (t.hidden && !t.passed) caught.add(`${q.id}: ${t.name}`);
    }
  }
  assert.equal([...hidden].filter((name) => !caught.has(name)), [], "hidden tests that no wrong answer fails");
});

test("a notebook whose answers are all right gets every autograded point", () => {
  const full = notebooks.map((answers, i) => ({ answers, d: doc(i) })).filter(({ answers }) => QUESTIONS.every((q) => answers[q].fails.length === 0));
  assert.ok(full.length > 0);
  for (const { d } of full) assert.is(d.score, d.questions.reduce((a, q) => a + q.maxScore, 0));
});

test.run();
