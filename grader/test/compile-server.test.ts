// The grader compiles cells in its compile server and runs the JavaScript in the sandbox with tslab's executor.
// These tests hold that to tslab's own path (converter and executor in one process, as the kernel runs them):
// every cell must succeed or fail alike and print the same, for crafted cells and for the example submissions.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { pickAssignment } from "../src/assignment/pick-assignment.js";
import { gradingContext } from "../src/grade/grade-batch.js";
import type { CellOutput } from "../src/grade/protocol.js";
import { restore } from "../src/grade/restore.js";
import { runInSandbox } from "../src/grade/sandbox.js";
import { sourceOf } from "../src/notebook/nbformat.js";
import { parseNotebook } from "../src/notebook/read-notebook.js";
import { ROOT } from "./helpers.js";
import { runCells } from "./sandbox-run.js";

const WORK = join(ROOT, ".courseware-work-diff");
await mkdir(WORK, { recursive: true });
const assignment = await pickAssignment(join(ROOT, "solutions"), "llm-architecture");
const ctx = await gradingContext(assignment, {}, ROOT);
test.after(async () => {
  await ctx.compiler.close();
  await rm(WORK, { recursive: true, force: true });
});

interface Outcome {
  ok: boolean;
  outputs: CellOutput[];
}
/** What must agree: success, printed text, displays, and each error's first line (stacks name other files). */
const comparable = (cells: Outcome[]) =>
  cells.map((c) => ({ ok: c.ok, outputs: c.outputs.map((o) => (o.error !== undefined ? { error: o.error.split("\n")[0] } : o)) }));

async function viaTslab(cells: string[]): Promise<Outcome[]> {
  const dir = await mkdtemp(join(WORK, "tslab-"));
  try {
    const r = spawnSync(process.execPath, [join(ROOT, "grader/dist/test/tslab-reference-run.js"), dir], {
      input: JSON.stringify(cells),
      env: { ...ctx.env, HOME: dir },
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.is(r.status, 0, r.stderr);
    return r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Outcome);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function viaGrader(cells: string[]): Promise<Outcome[]> {
  const workDir = await mkdtemp(join(WORK, "sub-"));
  const compiler = ctx.compiler.session(workDir);
  try {
    const run = await runInSandbox(cells, [], { workDir, compiler, readable: ctx.readable, env: { ...ctx.env, HOME: workDir }, limits: ctx.limits });
    assert.is(run.outcome, "completed", run.detail ?? "");
    return run.cells;
  } finally {
    compiler.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

const CRAFTED = [
  "const a: number = 40;\nlet b = a + 2;",
  "b",
  "function twice(x: number) { return 2 * x; }\ninterface P { x: number }\nconst pt: P = { x: twice(b) };\npt",
  "let c: string = a;",
  'throw new Error("boom");',
  'const later = await Promise.resolve(twice(3));\nconsole.log("later", later);',
  'await Promise.reject(new Error("rejected"));',
  'let b = "redeclared";\nb.toUpperCase()',
  'import { join } from "path";\njoin("x", "y")',
  "class K { constructor(public n = 1) {} }\nnew K(5)",
  "const d = later + pt.x;\nd",
  "console.log(typeof c)",
  "/** @module helper */\nexport const helperValue = 7;",
  'import { helperValue } from "./helper";\nhelperValue * 6',
  "enum Color { Red, Green }\nColor.Green",
  "for (const i of [1, 2]) console.log(i);",
  'const { Tensor } = await import("@courseware/lib");\nnew Tensor("float32", new Float32Array([1, 2]), [2]).dims',
  "type Pair = [number, string];\nconst pair: Pair = [1, 2];",
];

test("crafted cells: the same outcome and output as tslab's own converter and executor", async () => {
  const [ours, theirs] = [await viaGrader(CRAFTED), await viaTslab(CRAFTED)];
  assert.equal(comparable(ours), comparable(theirs));
  // and the cells did what they say: a sanity check that the comparison is not between two empty runs
  assert.equal(ours.map((c) => c.ok), [true, true, true, false, false, true, false, true, true, true, true, false, true, true, true, true, true, false]);
});

for (const name of ["complete", "partly-right", "untouched"]) {
  test(`the ${name} example submission: the same outcome and output per cell as tslab's own path`, async () => {
    const file = join(ROOT, "examples/llm-architecture", `${name}.ipynb`);
    const restored = restore(assignment, parseNotebook(await readFile(file, "utf8"), file)).notebook;
    const cells = restored.cells.filter((c) => c.cell_type === "code").map(sourceOf);
    const [ours, theirs] = [await viaGrader(cells), await viaTslab(cells)];
    assert.is(ours.length, cells.length);
    assert.equal(comparable(ours), comparable(theirs));
  });
}

test("compiled cells are reused only where the declarations before them are the same", async () => {
  const root = join(WORK, "cache-");
  const first = await runCells(root, ["const v = 1;", "v + 1"]);
  const second = await runCells(root, ['const v = "x";', "v + 1"]);
  const third = await runCells(root, ["const w = 2;", "v + 1"]);
  const text = (r: typeof first) => r.cells[1]!.outputs.map((o) => o.text ?? o.error ?? "").join("");
  assert.is(text(first), "2\n");
  assert.is(text(second), "x1\n");
  assert.match(text(third), /Cannot find name 'v'/);
});

test.run();
