// Messages name cells as the student's notebook has them, not as the rebuilt notebook that ran: a student who added
// cells above an exercise reads the number their own notebook shows, and the answer cell by name.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { pickAssignment } from "../src/assignment/pick-assignment.js";
import { gradingContext } from "../src/grade/grade-batch.js";
import { gradeSubmission } from "../src/grade/grade-submission.js";
import { cellLabels } from "../src/grade/cell-labels.js";
import type { Notebook } from "../src/notebook/nbformat.js";
import { ROOT, code, markdown, nbgrader } from "./helpers.js";

test("each run cell is found in the submission by grade_id, then id, then source; missing ones say so", () => {
  const answer = code("p = 1;", { nbgrader: nbgrader("softmax", { solution: true }) });
  const locked = code("let p: number;", { nbgrader: nbgrader("declare-p", { locked: true }) });
  const plain = { ...code("console.log('hi');"), id: "plain-1" };
  const other = code("show(p)");
  const run = [locked, plain, answer, other];
  const submission = [markdown("my notes"), code("1 + 1"), { ...code("console.log('edited');"), id: "plain-1" }, locked, { ...answer, source: "p = 2;" }];
  assert.equal(cellLabels(run, submission), [
    "cell 4",
    "cell 3",
    'cell 5 (the answer cell "softmax")',
    "a released cell that is not in your notebook",
  ]);
});

test("a real grading: three cells added at the top, the answer cell's error is reported with the student's number", async () => {
  const nb = JSON.parse(readFileSync(join(ROOT, "examples/llm-architecture/untouched.ipynb"), "utf8")) as Notebook;
  nb.cells.unshift(markdown("My own notes."), markdown("More notes."), code("// scratch"));
  const position = nb.cells.findIndex((c) => c.metadata.nbgrader?.grade_id === "softmax") + 1;
  const dir = mkdtempSync(join(tmpdir(), "cell-labels-"));
  writeFileSync(join(dir, "eve.ipynb"), JSON.stringify(nb));
  const assignment = await pickAssignment(join(ROOT, "solutions"), "llm-architecture");
  const ctx = await gradingContext(assignment, {}, ROOT);
  try {
    const doc = await gradeSubmission({ file: join(dir, "eve.ipynb"), student: "eve" }, ctx, `labels-${process.pid}`);
    const msg = doc.messages.find((m) => m.includes('(the answer cell "softmax")'));
    assert.ok(msg, JSON.stringify(doc.messages));
    assert.match(msg!, new RegExp(`^Cell ${position} \\(the answer cell "softmax"\\) raised .*Not implemented`));
  } finally {
    await ctx.compiler.close();
  }
});

test.run();
