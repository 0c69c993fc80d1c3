// A batch that cannot grade says so once: when no sandbox can start, `courseware grade` and `courseware validate`
// stop with one message for the staff and exit code 3, and write no student's result. A notebook that crashes its
// own sandbox in the middle of a batch still gets an `error` result, and the batch goes on.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");
const courseware = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 300_000 });

// A course folder where `npm ci` was never run: the grader is this checkout's, but the notebooks' packages (tslab,
// @courseware/lib) are looked up in the folder being graded, as always, and are not there.
const bare = mkdtempSync(join(tmpdir(), "preflight-bare-"));
test.after(() => rmSync(bare, { recursive: true, force: true }));

test("grade: no sandbox can start (no packages installed) → one message, exit 3, no student results", () => {
  const out = join(bare, "grades");
  const r = courseware(bare, "grade", join(ROOT, "examples/llm-architecture"), "--solutions", join(ROOT, "solutions"), "--out", out);
  assert.is(r.status, 3, r.stdout + r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, new RegExp(`^courseware: The sandbox could not start on Node.js ${process.version.replace(/\./g, "\\.")}, so no notebook was run: `));
  assert.match(lines[0]!, /Cannot find module 'tslab\/package.json'/);
  assert.match(lines[0]!, /run `npm ci && npm run build` in /);
  assert.is(r.stdout, "", "no progress lines and no report");
  assert.not.ok(existsSync(out), "no students/ folder and no summary.json");
  assert.equal(readdirSync(bare), [], "no work folder left behind");
});

test("validate: the same check, the same message, exit 3", () => {
  const r = courseware(bare, "validate", join(ROOT, "examples/llm-architecture/complete.ipynb"), "--solutions", join(ROOT, "solutions"));
  assert.is(r.status, 3, r.stdout + r.stderr);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^courseware: The sandbox could not start on Node\.js .*Cannot find module 'tslab\/package.json'/);
  assert.is(r.stdout, "");
});

test("an unbuilt project (grader/dist, then lib/dist missing) → one message, exit 3, no student results", () => {
  const copy = mkdtempSync(join(tmpdir(), "preflight-unbuilt-"));
  try {
    mkdirSync(join(copy, "grader/bin"), { recursive: true });
    for (const f of ["grader/bin/courseware.js", "grader/package.json"]) cpSync(join(ROOT, f), join(copy, f));
    const grade = () => spawnSync(process.execPath, [join(copy, "grader/bin/courseware.js"), "grade", join(ROOT, "examples/llm-architecture"), "--out", join(copy, "grades")], { cwd: copy, encoding: "utf8" });
    const noGrader = grade();
    assert.is(noGrader.status, 3, noGrader.stderr);
    assert.is(noGrader.stderr, "courseware: the grader is not built yet; run `npm run build` in the course folder first.\n");
    // the grader built, its packages installed, but @courseware/lib never built (no dist/)
    for (const f of ["grader/dist/src", "grader/schema"]) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    mkdirSync(join(copy, "node_modules/@courseware/lib"), { recursive: true });
    cpSync(join(ROOT, "lib/package.json"), join(copy, "node_modules/@courseware/lib/package.json"));
    for (const name of readdirSync(join(ROOT, "node_modules"))) {
      if (name !== "@courseware" && !name.startsWith(".")) symlinkSync(join(ROOT, "node_modules", name), join(copy, "node_modules", name));
    }
    const noLib = grade();
    assert.is(noLib.status, 3, noLib.stderr);
    assert.is(noLib.stderr.trim().split("\n").length, 1, noLib.stderr);
    assert.match(noLib.stderr, /^courseware: the grader cannot load: Cannot find module '.*@courseware\/lib\/dist\/src\/index\.js'.*; run `npm ci && npm run build`/);
    assert.not.ok(existsSync(join(copy, "grades")));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test("after a passing preflight, a notebook that kills its own sandbox gets an `error` result and the others are graded", () => {
  const subs = mkdtempSync(join(tmpdir(), "preflight-subs-"));
  const out = mkdtempSync(join(tmpdir(), "preflight-out-"));
  try {
    const complete = readFileSync(join(ROOT, "examples/llm-architecture/complete.ipynb"), "utf8");
    const nb = JSON.parse(complete) as { cells: Array<{ source: string[]; metadata: { nbgrader?: { grade_id?: string } } }> };
    nb.cells.find((c) => c.metadata.nbgrader?.grade_id === "softmax")!.source = ["process.exit(1);\n"];
    writeFileSync(join(subs, "crasher.ipynb"), JSON.stringify(nb));
    writeFileSync(join(subs, "complete.ipynb"), complete);
    const r = courseware(ROOT, "grade", subs, "--out", out, "--jobs", "1");
    assert.is(r.status, 0, r.stdout + r.stderr);
    const doc = (s: string) => JSON.parse(readFileSync(join(out, "students", `${s}.json`), "utf8")) as { status: string; score: number; messages: string[] };
    assert.is(doc("crasher").status, "error");
    assert.match(doc("crasher").messages.join("\n"), /exited with code 1 .* in cell \d+/);
    assert.is(doc("complete").status, "graded");
    assert.is(doc("complete").score, 6);
  } finally {
    rmSync(subs, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
