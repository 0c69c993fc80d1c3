import { test } from "uvu";
import * as assert from "uvu/assert";
import { assignmentFromSource } from "../src/assignment/load-assignment.js";
import { sourceOf } from "../src/notebook/nbformat.js";
import { restore } from "../src/grade/restore.js";
import { code, markdown, nbgrader, notebook } from "./helpers.js";

const source = notebook([
  code("const data = [1, 2, 3];", { nbgrader: nbgrader("setup", { locked: true }) }),
  code("let total: number;\n// BEGIN SOLUTION\ntotal = 6;\n// END SOLUTION", { nbgrader: nbgrader("sum", { solution: true }) }),
  markdown("A function.", { nbgrader: nbgrader("essay", { solution: true, grade: true, points: 1 }) }),
  code("test('total', ({ answers }) => {});", { nbgrader: nbgrader("sum-tests", { grade: true, locked: true, points: 2 }), courseware: { question: "sum", answers: ["total"] } }),
]);
const assignment = assignmentFromSource("demo", "demo.ipynb", source);

test("the assignment lists auto-graded and manual questions from nbgrader metadata", () => {
  assert.equal(assignment.questions.map((q) => [q.id, q.maxScore, q.answers]), [["sum", 2, ["total"]]]);
  assert.equal(assignment.manual, [{ id: "essay", maxScore: 1 }]);
});

test("restore takes the student's answer cells and the release's locked cells", () => {
  const submission = notebook([
    code("const data = [100];", { nbgrader: nbgrader("setup", { locked: true }) }),
    code("let total: number;\ntotal = data.length;", { nbgrader: nbgrader("sum", { solution: true }) }),
    markdown("My own words.", { nbgrader: nbgrader("essay", { solution: true, grade: true, points: 1 }) }),
    code("console.log('an extra cell');"),
  ]);
  const { notebook: nb, messages } = restore(assignment, submission);
  assert.equal(nb.cells.map(sourceOf), ["const data = [1, 2, 3];", "let total: number;\ntotal = data.length;", "My own words."]);
  assert.equal(messages, [
    "1 code cell added outside the answer cells was not run: only answer cells are graded.",
    'The locked cell "setup" was changed in the submission; the released one was used.',
  ]);
});

test("restore reports every tampering it undoes: deleted and changed locked cells, points, duplicates, foreign cells", () => {
  const submission = notebook([
    code("let total: number;\ntotal = 6;", { nbgrader: { ...nbgrader("sum", { solution: true }), points: 50 } }),
    code("let total: number;\ntotal = 7;", { nbgrader: nbgrader("sum", { solution: true }) }),
    markdown("Words.", { nbgrader: nbgrader("essay", { solution: true, grade: true, points: 1 }) }),
    code("test('total', () => {}); // always passes", { nbgrader: nbgrader("sum-tests", { grade: true, locked: true, points: 20 }), courseware: { question: "sum", answers: ["total"] } }),
    code("console.log('mine');", { nbgrader: nbgrader("my-cell", { locked: false }) }),
  ]);
  const { notebook: nb, messages, staffNotes } = restore(assignment, submission);
  // the hidden test cell is not in the release: a copy in the submission is foreign and never runs
  assert.equal(nb.cells.map(sourceOf), ["const data = [1, 2, 3];", "let total: number;\ntotal = 6;", "Words."]);
  // the student hears of what changed the grading (their second answer was not used); the staff of the tampering
  // that made no difference (foreign cells, a deleted locked cell, points)
  assert.equal(messages, ['The cell "sum" appears more than once in the submission; the first one was used.']);
  for (const expected of [
    /a cell "my-cell" that is not in the assignment; it was ignored/,
    /The locked cell "setup" was deleted from the submission/,
    /a cell "sum-tests" that is not in the assignment; it was ignored/,
    /The points of "sum" were changed in the submission \(none → 50\)/,
  ]) {
    assert.ok(staffNotes.some((m) => expected.test(m)), `${expected} in ${JSON.stringify(staffNotes)}`);
  }
});

test("restore reports a deleted answer cell and grades it as unanswered", () => {
  const { notebook: nb, messages } = restore(assignment, notebook([]));
  assert.ok(sourceOf(nb.cells[1]!).includes("YOUR CODE HERE"));
  assert.ok(messages.some((m) => m.includes('"sum" is missing')));
});

test("a public test cell changed by the student is reported and replaced, points included", () => {
  const withPublic = assignmentFromSource("demo", "demo.ipynb", notebook([
    code("let total: number;\n// BEGIN SOLUTION\ntotal = 6;\n// END SOLUTION", { nbgrader: nbgrader("sum", { solution: true }) }),
    code("check('sum', { total: total }, (test) => test('total is 6', ({ total }) => { if (total !== 6) throw new Error('no'); }));", {
      nbgrader: nbgrader("sum-public", { grade: true, locked: true, points: 1 }),
      courseware: { question: "sum", answers: ["total"], hidden: false },
    }),
  ]));
  const publicCell = withPublic.release.cells[1]!;
  const submission = notebook([
    code("let total: number;\ntotal = 5;", { nbgrader: nbgrader("sum", { solution: true }) }),
    code("check('sum', { total: 6 }, (test) => test('total is 6', () => {}));", { nbgrader: nbgrader("sum-public", { grade: true, locked: true, points: 100 }), courseware: { question: "sum", answers: ["total"], hidden: false } }),
  ]);
  const { notebook: nb, messages, staffNotes } = restore(withPublic, submission);
  assert.is(sourceOf(nb.cells[1]!), sourceOf(publicCell));
  assert.is(nb.cells[1]!.metadata.nbgrader?.points, 1);
  assert.equal(messages, ['The locked cell "sum-public" was changed in the submission; the released one was used.']);
  assert.equal(staffNotes, ['The points of "sum-public" were changed in the submission (1 → 100); the released points were used.']);
});

test("a test cell naming no answers is refused with a hint", () => {
  const bad = notebook([code("test('x', () => {});", { nbgrader: nbgrader("t", { grade: true, locked: true, points: 1 }) })]);
  assert.throws(() => assignmentFromSource("bad", "bad.ipynb", bad), /courseware.answers/);
});

test.run();
