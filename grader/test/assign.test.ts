import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assign } from "../src/assign/assign.js";
import { CODE_STUB, clearSolutions } from "../src/assign/clear-solutions.js";
import { makeRelease } from "../src/assign/make-release.js";
import { isSolutionCell, isTestCell, sourceOf } from "../src/notebook/nbformat.js";
import { readNotebook } from "../src/notebook/read-notebook.js";
import { ROOT, code, markdown, nbgrader, notebook } from "./helpers.js";

const ASSIGNMENTS = ["inside-the-transformer", "llm-architecture"];

/** The lines between the solution markers of a cell: what must never reach students. */
function solutionLines(src: string): string[] {
  const m = /\/\/\s*BEGIN SOLUTION\n([\s\S]*?)\n\s*\/\/\s*END SOLUTION/.exec(src);
  return trimmedLines(m ? m[1]! : src);
}

function trimmedLines(src: string): string[] {
  return src.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Runs of three consecutive lines: a generic line or two (a loop header) may well occur in public code too. */
function windows(lines: string[]): string[] {
  if (lines.length < 3) return [lines.join("\n")];
  return lines.slice(2).map((l, i) => `${lines[i]}\n${lines[i + 1]}\n${l}`);
}

test("the committed release notebook is up to date with its source (assign --check)", async () => {
  const results = await assign({ solutionsDir: join(ROOT, "solutions"), assignmentsDir: join(ROOT, "assignments"), names: [], check: true });
  assert.equal(results.map((r) => [r.name, r.status]), ASSIGNMENTS.map((name) => [name, "unchanged"]));
});

for (const name of ASSIGNMENTS) test(`${name}: the release notebook holds no solution code and no hidden test or reference text`, async () => {
  const source = await readNotebook(join(ROOT, `solutions/${name}/${name}.ipynb`));
  const releaseNb = await readNotebook(join(ROOT, `assignments/${name}/${name}.ipynb`));
  const release = trimmedLines(releaseNb.cells.map(sourceOf).join("\n")).join("\n");
  const hiddenCells = source.cells.filter((c) => (isTestCell(c) && c.metadata.courseware?.hidden !== false) || c.metadata.courseware?.role === "reference");
  assert.ok(hiddenCells.length >= 3, "the source has hidden test cells and a reference cell");
  // public test cells stay for students; lines a hidden cell shares with them (imports, the check() call) are not secret
  const publicCells = source.cells.filter((c) => isTestCell(c) && c.metadata.courseware?.hidden === false);
  assert.ok(publicCells.length >= 2, "the source has public test cells");
  for (const cell of publicCells) assert.ok(release.includes(trimmedLines(sourceOf(cell)).join("\n")), `public test cell ${cell.metadata.nbgrader?.grade_id} is missing from the release`);
  const publicLines = new Set(publicCells.flatMap((c) => trimmedLines(sourceOf(c))));
  for (const cell of hiddenCells) {
    const secret = trimmedLines(sourceOf(cell)).filter((l) => !publicLines.has(l));
    for (const pair of windows(secret)) assert.not.ok(release.includes(pair), `hidden code leaked: ${pair}`);
    for (const [, , name] of sourceOf(cell).matchAll(/test\((["'`])(.*?)\1/g)) assert.not.ok(release.includes(name!), `test name leaked: ${name}`);
  }
  const solutions = source.cells.filter((c) => isSolutionCell(c) && c.cell_type === "code");
  assert.ok(solutions.length >= 2);
  for (const cell of solutions) {
    for (const pair of windows(solutionLines(sourceOf(cell)))) assert.not.ok(release.includes(pair), `solution leaked: ${pair}`);
  }
  assert.ok(release.includes("// YOUR CODE HERE\nthrow new Error(\"Not implemented\");"));
  assert.ok(release.includes("YOUR ANSWER HERE"));
});

test("assign --check reports a stale release and assign rewrites it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "assign-"));
  await cp(join(ROOT, "solutions"), join(dir, "solutions"), { recursive: true });
  await cp(join(ROOT, "assignments"), join(dir, "assignments"), { recursive: true });
  const release = join(dir, "assignments/llm-architecture/llm-architecture.ipynb");
  await writeFile(release, (await readFile(release, "utf8")).replace("YOUR ANSWER HERE", "edited by hand"));
  const opts = { solutionsDir: join(dir, "solutions"), assignmentsDir: join(dir, "assignments"), names: [] };
  const statuses = async (check: boolean) => (await assign({ ...opts, check })).map((r) => [r.name, r.status]);
  assert.equal(await statuses(true), [["inside-the-transformer", "unchanged"], ["llm-architecture", "stale"]]);
  assert.equal(await statuses(false), [["inside-the-transformer", "unchanged"], ["llm-architecture", "written"]]);
  assert.equal(await statuses(true), [["inside-the-transformer", "unchanged"], ["llm-architecture", "unchanged"]]);
});

test("clearSolutions keeps code outside the markers and replaces what is inside", () => {
  const nb = notebook([
    code("const x = 1;\n  // BEGIN SOLUTION\n  const y = secret();\n  // END SOLUTION\nx", { nbgrader: nbgrader("q1", { solution: true }) }),
    code("whole = cell;", { nbgrader: nbgrader("q2", { solution: true }) }),
    markdown("My answer.", { nbgrader: nbgrader("q3", { solution: true, grade: true, points: 1 }) }),
    code("untouched();"),
  ]);
  const out = clearSolutions(nb).cells.map(sourceOf);
  assert.is(out[0], `const x = 1;\n  ${CODE_STUB[0]}\n  ${CODE_STUB[1]}\nx`);
  assert.is(out[1], CODE_STUB.join("\n"));
  assert.is(out[2], "YOUR ANSWER HERE");
  assert.is(out[3], "untouched();");
});

test("clearSolutions refuses an unclosed solution marker, naming the cell", () => {
  const nb = notebook([code("// BEGIN SOLUTION\nleak();", { nbgrader: nbgrader("q1", { solution: true }) })]);
  assert.throws(() => clearSolutions(nb), /q1.*never closed/);
});

test("makeRelease drops hidden tests and reference cells, keeps public tests, clears outputs", () => {
  const tests = (hidden: boolean) => ({ nbgrader: nbgrader(`t${hidden}`, { grade: true, locked: true, points: 1 }), courseware: { question: "q", answers: ["a"], hidden } });
  const nb = notebook([
    code("reference.x = 1;", { courseware: { role: "reference" } }),
    code("test('hidden', () => {});", tests(true)),
    code("test('public', () => {});", tests(false)),
    { ...code("1 + 1"), outputs: [{ output_type: "stream" }], execution_count: 3 } as ReturnType<typeof code>,
  ]);
  const release = makeRelease(nb, "demo");
  assert.equal(release.cells.map(sourceOf), ["test('public', () => {});", "1 + 1"]);
  const last = release.cells[1] as { outputs: unknown[]; execution_count: unknown };
  assert.equal([last.outputs, last.execution_count], [[], null]);
});

test.run();
