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
  assert.equal(messages, []);
});

test("restore reports a deleted answer cell and grades it as unanswered", () => {
  const { notebook: nb, messages } = restore(assignment, notebook([]));
  assert.ok(sourceOf(nb.cells[1]!).includes("YOUR CODE HERE"));
  assert.ok(messages.some((m) => m.includes('"sum" is missing')));
});

test("a test cell naming no answers is refused with a hint", () => {
  const bad = notebook([code("test('x', () => {});", { nbgrader: nbgrader("t", { grade: true, locked: true, points: 1 }) })]);
  assert.throws(() => assignmentFromSource("bad", "bad.ipynb", bad), /courseware.answers/);
});

test.run();
