// More than one assignment in solutions/: each release notebook says which assignment it is (metadata.courseware,
// written by `courseware assign`, with nbformat 4.5 cell ids), and `grade` and `validate` take it from there when
// --assignment is not given. A batch that mixes assignments is refused with the files of each; a notebook graded
// as another assignment tells its student. The second assignment is a small fixture, grader/test/fixtures/solutions/.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeRelease } from "../src/assign/make-release.js";
import type { Notebook } from "../src/notebook/nbformat.js";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { ROOT, code, markdown, nbgrader, notebook } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");
const courseware = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });

// solutions/ with the first lesson and the fixture's second assignment
const solutions = mkdtempSync(join(tmpdir(), "two-assignments-"));
cpSync(join(ROOT, "solutions/llm-architecture"), join(solutions, "llm-architecture"), { recursive: true });
cpSync(join(ROOT, "grader/test/fixtures/solutions/arithmetic"), join(solutions, "arithmetic"), { recursive: true });
const released = mkdtempSync(join(tmpdir(), "two-releases-"));

test("a release notebook names its assignment and has nbformat 4.5 cell ids, valid and unique", () => {
  const nb = notebook([
    markdown("intro"),
    { ...code("let x = 1;", { nbgrader: nbgrader("x", { solution: true }) }), id: "not valid!" },
    { ...code("x"), id: "keep-me" },
    { ...code("x + 1"), id: "keep-me" },
  ]);
  const release = makeRelease({ ...nb, nbformat_minor: 4 }, "demo");
  assert.equal(release.metadata["courseware"], { assignment: "demo" });
  assert.is(release.nbformat_minor, 5);
  const ids = release.cells.map((c) => c.id!);
  // nbformat's rule (format_description.html#cell-ids): 1-64 of [a-zA-Z0-9-_], unique within the notebook
  for (const id of ids) assert.match(id, /^[a-zA-Z0-9_-]{1,64}$/);
  assert.is(new Set(ids).size, ids.length);
  assert.is(ids[1], "x", "an invalid id gives way to the grade_id");
  assert.is(ids[2], "keep-me", "a valid id is kept");
});

test("assign writes both releases, each naming its assignment; the committed lesson's does too", () => {
  const r = courseware("assign", "--solutions", solutions, "--assignments", released);
  assert.is(r.status, 0, r.stderr);
  for (const name of ["llm-architecture", "arithmetic"]) {
    const nb = JSON.parse(readFileSync(join(released, name, `${name}.ipynb`), "utf8")) as Notebook;
    assert.equal(nb.metadata["courseware"], { assignment: name });
  }
  const committed = JSON.parse(readFileSync(join(ROOT, "assignments/llm-architecture/llm-architecture.ipynb"), "utf8")) as Notebook;
  assert.equal(committed.metadata["courseware"], { assignment: "llm-architecture" });
});

test("with two assignments, grade and validate take the assignment from the notebooks; the examples grade as before", () => {
  const out = mkdtempSync(join(tmpdir(), "two-grades-"));
  const r = courseware("grade", join(ROOT, "examples/llm-architecture"), "--solutions", solutions, "--out", out);
  assert.is(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { assignment: string; results: Array<{ student: string; score: number; status: string }> };
  assert.is(summary.assignment, "llm-architecture");
  assert.equal(Object.fromEntries(summary.results.map((x) => [x.student, x.status])), { complete: "graded", "not-json": "invalid", "partly-right": "graded", untouched: "graded" });
  const v = courseware("validate", join(ROOT, "examples/llm-architecture/complete.ipynb"), "--solutions", solutions);
  assert.is(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /public checks pass/);
  // the second assignment, answered, graded alone: its own questions and points
  const arith = JSON.parse(readFileSync(join(released, "arithmetic/arithmetic.ipynb"), "utf8")) as Notebook;
  const answered = { ...arith, cells: arith.cells.map((c) => (c.metadata.nbgrader?.grade_id === "sum" ? { ...c, source: "total = 1 + 2 + 3;" } : c)) };
  const dir = mkdtempSync(join(tmpdir(), "arith-subs-"));
  writeFileSync(join(dir, "ann.ipynb"), JSON.stringify(answered));
  const aout = mkdtempSync(join(tmpdir(), "arith-grades-"));
  const a = courseware("grade", dir, "--solutions", solutions, "--out", aout);
  assert.is(a.status, 0, a.stderr);
  const ann = JSON.parse(readFileSync(join(aout, "students/ann.json"), "utf8")) as ScoreDocument;
  assert.equal([ann.assignment, ann.score, ann.maxScore], ["arithmetic", 2, 2]);
});

test("a batch that mixes assignments is refused, naming the files of each; a notebook graded as another assignment is told so", () => {
  const dir = mkdtempSync(join(tmpdir(), "mixed-subs-"));
  cpSync(join(ROOT, "examples/llm-architecture/complete.ipynb"), join(dir, "bea.ipynb"));
  cpSync(join(released, "arithmetic/arithmetic.ipynb"), join(dir, "cal.ipynb"));
  const out = join(dir, "grades");
  const r = courseware("grade", dir, "--solutions", solutions, "--out", out);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /The notebooks are for several assignments: arithmetic \(1: .*cal\.ipynb\); llm-architecture \(1: .*bea\.ipynb\)\. Grade each assignment on its own, into its own --out folder, with --assignment NAME\./);
  // --assignment decides; the stray notebook's student hears that it is from another assignment
  const forced = courseware("grade", dir, "--solutions", solutions, "--out", out, "--assignment", "llm-architecture", "--jobs", "1");
  assert.is(forced.status, 0, forced.stderr);
  const cal = JSON.parse(readFileSync(join(out, "students/cal.json"), "utf8")) as ScoreDocument;
  assert.ok(cal.messages.some((m) => m.startsWith('This notebook is from the assignment "arithmetic", but it was submitted for "llm-architecture"')), JSON.stringify(cal.messages));
  const bea = JSON.parse(readFileSync(join(out, "students/bea.json"), "utf8")) as ScoreDocument;
  assert.not.ok(bea.messages.some((m) => m.includes("is from the assignment")));
});

test("notebooks that do not say their assignment, with two in solutions/: a usage error that says what to do", () => {
  const dir = mkdtempSync(join(tmpdir(), "unmarked-subs-"));
  const nb = JSON.parse(readFileSync(join(ROOT, "examples/llm-architecture/complete.ipynb"), "utf8")) as Notebook;
  delete nb.metadata["courseware"];
  mkdirSync(join(dir, "in"));
  writeFileSync(join(dir, "in", "dan.ipynb"), JSON.stringify(nb));
  const r = courseware("grade", join(dir, "in"), "--solutions", solutions, "--out", join(dir, "grades"));
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /Say which assignment to grade with --assignment: .* has arithmetic, llm-architecture, and no notebook says which it is/);
});

test.run();
