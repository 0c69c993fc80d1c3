// The grading path's steps, each alone (grade-submission.ts composes them): read, rebuild, hand over values, test.
// Execute is the sandbox's own suite (sandbox.test.ts, sandbox-attacks.test.ts); the row end to end is
// grade-examples.test.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assignmentFromSource } from "../src/assignment/load-assignment.js";
import { handOverValues } from "../src/grade/steps/hand-over.js";
import { isStop } from "../src/grade/steps/notes.js";
import { readSubmission } from "../src/grade/steps/read.js";
import { rebuildNotebook } from "../src/grade/steps/rebuild.js";
import { testAnswers } from "../src/grade/steps/test-answers.js";
import type { SandboxRun } from "../src/grade/sandbox.js";
import { code, markdown, nbgrader, notebook } from "./helpers.js";

const assignment = assignmentFromSource("demo", "demo.ipynb", notebook([
  code("let total: number;", { nbgrader: nbgrader("declare", { locked: true }) }),
  code("// BEGIN SOLUTION\ntotal = 6;\n// END SOLUTION", { nbgrader: nbgrader("sum", { solution: true }) }),
  markdown("Words.", { nbgrader: nbgrader("essay", { solution: true, grade: true, points: 1 }) }),
  code('import { check } from "@courseware/lib";\nawait check("sum", { total: total }, (test) => { test("total is 6", ({ total }) => { if (total !== 6) throw new Error(`total is ${total}, not 6`); }); });', {
    nbgrader: nbgrader("sum-tests", { grade: true, locked: true, points: 2 }),
    courseware: { question: "sum", answers: ["total"] },
  }),
]));
const dir = mkdtempSync(join(tmpdir(), "steps-"));
const run = (values: SandboxRun["values"], over: Partial<SandboxRun> = {}): SandboxRun => ({ outcome: "completed", detail: null, cells: [], values, layers: [], failedToStart: false, ...over });

test("read: the bytes and their sha256; a problem, a missing file or an oversized one stops with the reason", async () => {
  writeFileSync(join(dir, "a.ipynb"), "{}");
  const ok = await readSubmission({ file: join(dir, "a.ipynb"), student: "a" });
  assert.not.ok(isStop(ok));
  assert.is(ok.sha256, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  const problem = await readSubmission({ file: "x", student: "b", problem: "No notebook was found for b." });
  assert.ok(isStop(problem) && problem.messages[0] === "No notebook was found for b.");
  const missing = await readSubmission({ file: join(dir, "nope.ipynb"), student: "c" });
  assert.ok(isStop(missing));
  assert.match(missing.messages[0]!, /^The submission could not be read: ENOENT/);
  writeFileSync(join(dir, "big.ipynb"), Buffer.alloc(21 * 1024 * 1024));
  const big = await readSubmission({ file: join(dir, "big.ipynb"), student: "d" });
  assert.ok(isStop(big) && /over the .* MB limit/.test(big.messages[0]!));
  assert.match(big.sha256!, /^[0-9a-f]{64}$/, "an oversized file's fingerprint is still recorded");
});

test("rebuild: the release with the student's answers, the free-text answers, labels by the student's numbering; not a notebook stops", () => {
  const theirs = notebook([markdown("my notes"), ...assignment.release.cells.map((c) => (c.metadata.nbgrader?.grade_id === "sum" ? { ...c, source: "total = 5;" } : c.metadata.nbgrader?.grade_id === "essay" ? { ...c, source: "Mine." } : c))]);
  const rebuilt = rebuildNotebook(assignment, Buffer.from(JSON.stringify(theirs)), "s.ipynb");
  assert.not.ok(isStop(rebuilt));
  if (isStop(rebuilt)) return;
  assert.equal(rebuilt.codeCells.map((c) => c.source), [["let total: number;"], "total = 5;"]);
  assert.equal(rebuilt.labels, ["cell 2", 'cell 3 (the answer cell "sum")']);
  assert.equal(rebuilt.manual, [{ id: "essay", maxScore: 1, answer: "Mine.", score: null }]);
  const bad = rebuildNotebook(assignment, Buffer.from("not json"), "s.ipynb");
  assert.ok(isStop(bad) && /is not a Jupyter notebook/.test(bad.messages[0]!));
});

test("hand over: decoded values; a missing, unreadable or never-sent value becomes what the student is told", () => {
  const answers = handOverValues(run({ total: { kind: "json", value: 6 } }), assignment);
  assert.is(answers.get("total"), 6);
  const missing = handOverValues(run({ total: { missing: true } }), assignment);
  assert.throws(() => missing.get("total"), /`total` has no value when the notebook finishes/);
  const odd = handOverValues(run({ total: { kind: "unsupported", description: "[object Map]" } }), assignment);
  assert.throws(() => odd.get("total"), /`total` is a value of type \[object Map\] that the grader cannot read/);
  const none = handOverValues(run(null, { outcome: "timeout", detail: "the notebook exceeded the 120 s limit in cell 3" }), assignment);
  assert.throws(() => none.get("total"), /could not be read: the notebook exceeded the 120 s limit in cell 3/);
  const notStarted = handOverValues(run(null, { outcome: "crashed", detail: "node: bad option", failedToStart: true }), assignment);
  assert.throws(() => notStarted.get("total"), /could not be read: the grader could not start the notebook\.$/);
});

test("test: each question's tests on the handed-over values, with their points", async () => {
  const right = await testAnswers(assignment, handOverValues(run({ total: { kind: "json", value: 6 } }), assignment), {});
  assert.equal(right.map((q) => [q.id, q.score, q.maxScore]), [["sum", 2, 2]]);
  const wrong = await testAnswers(assignment, handOverValues(run({ total: { kind: "json", value: 5 } }), assignment), {});
  assert.equal([wrong[0]!.score, wrong[0]!.tests[0]!.message], [0, "total is 5, not 6"]);
});

test.run();
