// Reference cells: each runs alone (no other cell of the notebook), once, in a fresh Node.js process, and what it
// declares as `reference` reaches the hidden tests as the instructor's kernel had it. A failing cell, or a value that
// cannot cross, stops with a message that names the cell.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tensor } from "@courseware/lib";
import type { Assignment } from "../src/assignment/load-assignment.js";
import { computeReference } from "../src/grade/reference.js";
import { notebook } from "./helpers.js";

const withCells = (...sources: string[]): Assignment => ({
  name: "demo",
  sourcePath: "solutions/demo/demo.ipynb",
  release: notebook([]),
  questions: [],
  manual: [],
  referenceCells: sources.map((source, i) => ({ source, cell: 10 + i })),
});

test("any JSON value reaches the tests as it is: an array, a number, a string, null inside an object", async () => {
  assert.equal(await computeReference(withCells("const reference = [3, 1, 2];")), [3, 1, 2]);
  assert.is(await computeReference(withCells("const reference = 0.5;")), 0.5);
  assert.is(await computeReference(withCells('const reference = "dog";')), "dog");
  assert.equal(await computeReference(withCells("const reference = { a: null, b: [true, { c: 'x' }] };")), { a: null, b: [true, { c: "x" }] });
});

test("tensors and typed arrays, alone or inside arrays and objects, arrive as Tensors and typed arrays", async () => {
  const ref = (await computeReference(withCells(`
import { Tensor } from "@courseware/lib";
const t = new Tensor("float32", new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
const reference = { logits: t, rows: [t, new Int32Array([7, 8])], meta: { n: 2 } };`))) as { logits: Tensor; rows: [Tensor, Int32Array]; meta: { n: number } };
  assert.ok(ref.logits instanceof Tensor);
  assert.equal(ref.logits.dims, [2, 3]);
  assert.equal(Array.from(ref.logits.data as Float32Array), [1, 2, 3, 4, 5, 6]);
  assert.is(ref.logits.type, "float32");
  assert.ok(ref.rows[0] instanceof Tensor);
  assert.ok(ref.rows[1] instanceof Int32Array);
  assert.equal(Array.from(ref.rows[1]), [7, 8]);
  assert.equal(ref.meta, { n: 2 });
  const alone = await computeReference(withCells('import { Tensor } from "@courseware/lib";\nconst reference = new Tensor("int64", new BigInt64Array([5n]), [1]);'));
  assert.ok(alone instanceof Tensor);
});

test("each cell runs alone in a fresh process: not the grader's, and what it leaves behind stays there", async () => {
  const ref = (await computeReference(withCells("(globalThis as any).leaked = 42;\nconst reference = { pid: process.pid };"))) as { pid: number };
  assert.is.not(ref.pid, process.pid);
  assert.is((globalThis as { leaked?: number }).leaked, undefined);
  // several cells: each alone, so each gives an object, and they are merged
  assert.equal(await computeReference(withCells("const reference = { a: 1 };", "const reference = { b: 2 };")), { a: 1, b: 2 });
});

test("a failing cell, a value that cannot cross, or no reference: an error that names the cell", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["throw new Error('the model folder is missing');\nconst reference = 1;"], /^The reference cell \(cell 10 of solutions\/demo\/demo\.ipynb\) failed: the model folder is missing$/],
    [["const reference = { f: () => 1, ok: 2 };"], /cell 10 .*gives a value that cannot reach the tests: reference\.f \(/],
    [["const notReference = 1;"], /cell 10 .*declares no `reference`/],
    [["const reference = 1;", "const reference = [2];"], /cell 10 .*is one of several: each must give a plain object/],
    [["const reference = ;"], /cell 10 .*failed: .*does not compile/],
  ];
  for (const [cells, want] of cases) {
    const e = await computeReference(withCells(...cells)).then(() => null, (x: Error) => x);
    assert.ok(e, `${cells.join(" / ")} should fail`);
    assert.is(e!.name, "AssignmentError");
    assert.match(e!.message, want);
  }
});

test.run();
