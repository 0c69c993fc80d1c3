// The in-container autograders, end to end, under roots laid out as the platforms lay them out:
// - Gradescope (https://gradescope-autograders.readthedocs.io/en/latest/specs/, "File hierarchy"): /autograder/source
//   (the zip), /autograder/submission (the student's files), /autograder/results/results.json (written by
//   run_autograder), /autograder/submission_metadata.json (docs/submission_metadata.md);
// - PrairieLearn (PrairieLearn docs/externalGrading.md, "The Grading Process", and buildDirectory in
//   apps/prairielearn/src/lib/externalGraderCommon.ts): /grade/student, /grade/tests, /grade/serverFilesCourse,
//   /grade/data/data.json; the entrypoint writes /grade/results/results.json, creating /grade/results.
// What each platform makes of a failure: Gradescope shows "The autograder failed to execute correctly" when there is
// no valid results.json (docs/troubleshooting.md) and records an autograder error, "at no fault of the student"
// (docs/submission_metadata.md); PrairieLearn counts a job as succeeded only when the container exits 0
// (apps/grader-host/src/index.ts) and treats a job that did not succeed as not gradable
// (apps/prairielearn/src/lib/externalGrader.ts). So an autograder failure writes no results.json and exits 1.
// Expected scores come from the assignment's source notebook (its nbgrader points), not from a grading run.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gradescopeBundle } from "../src/export/gradescope-bundle.js";
import { writeExportFiles } from "../src/export/write.js";
import { ROOT } from "./helpers.js";

const ASSIGNMENT = "llm-architecture";
const EXAMPLES = join(ROOT, "examples/llm-architecture");
const ENTRY = join(ROOT, "grader/bin/courseware-autograder.js");

/** Points of the source notebook: test cells (auto-graded) and free-text answers (graded by hand). */
const points = (() => {
  const nb = JSON.parse(readFileSync(join(ROOT, `solutions/${ASSIGNMENT}/${ASSIGNMENT}.ipynb`), "utf8")) as { cells: Array<{ metadata?: { nbgrader?: { grade?: boolean; solution?: boolean; points?: number; grade_id?: string } } }> };
  const graded = nb.cells.map((c) => c.metadata?.nbgrader).filter((g) => g?.grade);
  return {
    auto: graded.filter((g) => !g!.solution).reduce((a, g) => a + (g!.points ?? 0), 0),
    manual: graded.filter((g) => g!.solution).map((g) => ({ id: g!.grade_id!, points: g!.points ?? 0 })),
  };
})();
const manualMax = points.manual.reduce((a, m) => a + m.points, 0);

/** A copy of the project as it is before `npm run build`: the installed packages, but no grader/dist. */
function unbuiltProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "courseware-unbuilt-"));
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  for (const p of ["node_modules", "lib", "solutions", "model-cache"]) symlinkSync(join(ROOT, p), join(dir, p));
  mkdirSync(join(dir, "grader"));
  cpSync(join(ROOT, "grader/bin"), join(dir, "grader/bin"), { recursive: true });
  cpSync(join(ROOT, "grader/schema"), join(dir, "grader/schema"), { recursive: true });
  copyFileSync(join(ROOT, "grader/package.json"), join(dir, "grader/package.json"));
  return dir;
}

/** A project whose `courseware grade` is a stand-in script (to check how each exit of the grader is reported). */
function fakeProject(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), "courseware-fake-"));
  mkdirSync(join(dir, "grader/bin"), { recursive: true });
  writeFileSync(join(dir, "grader/bin/courseware.js"), script);
  return dir;
}

const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", timeout: 300_000 });

// ---------- Gradescope ----------

function gradescopeRoot(project: string): string {
  const root = mkdtempSync(join(tmpdir(), "gs-root-"));
  symlinkSync(project, join(root, "courseware"));
  mkdirSync(join(root, "submission"));
  return root;
}

async function runAutograder(root: string) {
  await writeExportFiles(join(root, "source"), gradescopeBundle({ assignment: ASSIGNMENT }));
  return run("bash", [join(root, "source/gradescope-autograder/run_autograder")], { AUTOGRADER_ROOT: root });
}

const resultsOf = (root: string) => JSON.parse(readFileSync(join(root, "results/results.json"), "utf8"));

test("Gradescope: run_autograder grades the notebook: autograded score, text output, and how the tests relate to the total", async () => {
  const root = gradescopeRoot(ROOT);
  copyFileSync(join(EXAMPLES, "complete.ipynb"), join(root, "submission", "my notebook.ipynb"));
  // Gradescope's metadata says the assignment is worth 10 points in its outline (docs/submission_metadata.md)
  writeFileSync(join(root, "submission_metadata.json"), JSON.stringify({ id: 1, created_at: "2025-01-31T12:00:00.000000-08:00", assignment: { total_points: "10.0" }, users: [] }));
  const r = await runAutograder(root);
  assert.is(r.status, 0, r.stdout + r.stderr);
  const res = resultsOf(root);
  // the complete example passes every auto-graded check; the free-text answer waits for a person
  assert.is(res.score, points.auto);
  assert.is(res.tests.reduce((a: number, t: { max_score: number }) => a + t.max_score, 0), points.auto);
  assert.is(res.output_format, "text");
  assert.is(res.stdout_visibility, "hidden");
  assert.type(res.execution_time, "number");
  assert.ok(res.tests.some((t: { visibility: string }) => t.visibility === "after_published"), "hidden tests are not shown before grades are published");
  assert.ok(res.output.includes(`Autograded tests: ${points.auto} of ${points.auto} points.`), res.output);
  for (const m of points.manual) assert.ok(res.output.includes(m.id), `${m.id} is named as graded by hand`);
  assert.ok(res.output.includes(`The assignment is worth ${points.auto + manualMax} points in all.`));
  // instructors (stdout) are told that Gradescope's total differs from the notebook's
  assert.match(r.stdout, /staff note: Gradescope's total_points for this assignment is 10; the notebook's maxScore is 7/);
});

test("Gradescope: no notebook, or two, is the student's: score 0 and what was found", async () => {
  const root = gradescopeRoot(ROOT);
  writeFileSync(join(root, "submission", "answers.txt"), "I wrote my answers here");
  const none = await runAutograder(root);
  assert.is(none.status, 0, none.stdout);
  const explained = resultsOf(root);
  assert.equal([explained.score, explained.tests, explained.output_format], [0, [], "text"]);
  assert.match(explained.output, /No notebook \(\.ipynb file\) was found in your submission; it holds: answers\.txt/);
  writeFileSync(join(root, "submission", "a.ipynb"), "{}");
  writeFileSync(join(root, "submission", "b.ipynb"), "{}");
  const two = await runAutograder(root);
  assert.is(two.status, 0, two.stdout);
  assert.match(resultsOf(root).output, /holds 2 notebooks \(a\.ipynb, b\.ipynb\); submit exactly one/);
});

test("Gradescope: a project that is not built is an autograder failure: no results.json, exit 1, the reason for instructors", async () => {
  const root = gradescopeRoot(unbuiltProject());
  copyFileSync(join(EXAMPLES, "complete.ipynb"), join(root, "submission", "notebook.ipynb"));
  mkdirSync(join(root, "results"), { recursive: true });
  writeFileSync(join(root, "results/results.json"), '{"score": 7}'); // left by anything earlier: must not survive
  const r = await runAutograder(root);
  assert.is(r.status, 1, r.stdout);
  assert.not.ok(existsSync(join(root, "results/results.json")), "no results.json: Gradescope reports an autograder error");
  assert.match(r.stdout, /AUTOGRADER FAILURE/);
  assert.match(r.stdout, /is the project installed and built/);
  assert.not.match(r.stdout, /Submit exactly one/);
});

test("Gradescope: the grader's environment failing (courseware grade exits 3) is an autograder failure too", () => {
  const root = gradescopeRoot(ROOT);
  copyFileSync(join(EXAMPLES, "complete.ipynb"), join(root, "submission", "notebook.ipynb"));
  const project = fakeProject('console.error("courseware: the sandbox cannot start: no user namespaces"); process.exit(3);\n');
  const r = run(process.execPath, [ENTRY, "gradescope", "--root", root, "--project", project]);
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.not.ok(existsSync(join(root, "results/results.json")));
  assert.match(r.stdout, /exited with status 3 \(the grading environment cannot grade at all/);
  assert.match(r.stdout, /the sandbox cannot start: no user namespaces/);
});

// ---------- PrairieLearn ----------

/** A /grade folder as PrairieLearn's buildDirectory makes it, with the student's files. */
function gradeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "pl-grade-"));
  for (const d of ["serverFilesCourse", "tests", "student", "data"]) mkdirSync(join(root, d));
  writeFileSync(join(root, "data/data.json"), JSON.stringify({ params: {}, correct_answers: {}, submitted_answers: { _files: Object.keys(files).map((name) => ({ name })) }, format_errors: {}, partial_scores: {}, score: 0, feedback: {}, variant_seed: 1, options: {}, raw_submitted_answers: {}, gradable: true }));
  for (const [name, from] of Object.entries(files)) copyFileSync(from, join(root, "student", name));
  return root;
}

const prairielearn = (root: string, project?: string, entry = ENTRY) => run(process.execPath, [entry, "prairielearn", "--root", root, "--assignment", ASSIGNMENT, ...(project ? ["--project", project] : [])]);
const plResults = (root: string) => JSON.parse(readFileSync(join(root, "results/results.json"), "utf8"));

test("PrairieLearn: the complete example scores 1.0, all autograded points; the free-text answer is left to manualPoints", () => {
  const root = gradeRoot({ [`${ASSIGNMENT}.ipynb`]: join(EXAMPLES, "complete.ipynb") });
  const r = prairielearn(root);
  assert.is(r.status, 0, r.stdout + r.stderr);
  const res = plResults(root);
  assert.is(res.gradable, true);
  assert.is(res.score, 1);
  const sum = (k: "points" | "max_points") => res.tests.reduce((a: number, t: Record<string, number>) => a + t[k]!, 0);
  assert.equal([sum("points"), sum("max_points")], [points.auto, points.auto]);
  for (const m of points.manual) assert.match(res.message, new RegExp(`manual points, not in this score\\): ${m.id}`));
});

test("PrairieLearn: a partly right notebook scores its autograded points over the autograded maximum; an unreadable one is not gradable", () => {
  const partly = gradeRoot({ [`${ASSIGNMENT}.ipynb`]: join(EXAMPLES, "partly-right.ipynb") });
  assert.is(prairielearn(partly).status, 0);
  const res = plResults(partly);
  const sum = (k: "points" | "max_points") => res.tests.reduce((a: number, t: Record<string, number>) => a + t[k]!, 0);
  assert.is(sum("max_points"), points.auto);
  assert.ok(res.score > 0 && res.score < 1, String(res.score));
  assert.ok(Math.abs(res.score - sum("points") / points.auto) < 1e-6);

  const broken = gradeRoot({ [`${ASSIGNMENT}.ipynb`]: join(EXAMPLES, "not-json.ipynb") });
  assert.is(prairielearn(broken).status, 0);
  const invalid = plResults(broken);
  assert.is(invalid.gradable, false);
  assert.is(invalid.score, undefined);
  assert.ok(invalid.format_errors.length > 0);
});

test("PrairieLearn: no notebook is the student's: gradable false with the reason, exit 0", () => {
  const root = gradeRoot({});
  writeFileSync(join(root, "student", "notes.md"), "# my answers");
  const r = prairielearn(root);
  assert.is(r.status, 0, r.stdout);
  const res = plResults(root);
  assert.is(res.gradable, false);
  assert.match(res.format_errors[0], /No notebook \(\.ipynb file\) was found in your submission; it holds: notes\.md/);
});

test("PrairieLearn: a broken project is a failed grading job (exit 1, no results.json), never a score for the student", () => {
  const unbuilt = unbuiltProject();
  // the grader of an unbuilt project: courseware grade cannot run
  const root = gradeRoot({ [`${ASSIGNMENT}.ipynb`]: join(EXAMPLES, "complete.ipynb") });
  const r = prairielearn(root, unbuilt);
  assert.is(r.status, 1, r.stdout);
  assert.not.ok(existsSync(join(root, "results/results.json")));
  assert.match(r.stdout, /AUTOGRADER FAILURE/);
  assert.match(r.stdout, /courseware grade exited with status 3/);
  assert.match(r.stdout, /not built/);
  // the unbuilt project's own entry point: it cannot even load
  const own = prairielearn(root, undefined, join(unbuilt, "grader/bin/courseware-autograder.js"));
  assert.is(own.status, 1, own.stdout);
  assert.not.ok(existsSync(join(root, "results/results.json")));
  assert.match(own.stdout, /AUTOGRADER FAILURE[\s\S]*cannot load/);
  // a grader that exits 0 but writes no score document for the one notebook
  const silent = prairielearn(root, fakeProject("process.exit(0);\n"));
  assert.is(silent.status, 1, silent.stdout);
  assert.match(silent.stdout, /exited 0 but its score documents cannot be read|exited 0 but wrote 0 score documents/);
  assert.not.ok(existsSync(join(root, "results/results.json")));
});

test.run();
