// The lesson's notebooks with the real clients: Debian's nbformat validates them, the project's two kernels (the
// real tslab and Deno's `deno jupyter`, through Jupyter with the kernel specs in kernels/) run them, and
// `courseware validate` reports on them.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, jupyterEnvIn } from "./helpers.js";

const PYTHON = "/usr/bin/python3";
const JUPYTER = "/usr/bin/jupyter";
const SOURCE = join(ROOT, "solutions/llm-architecture/llm-architecture.ipynb");
const RELEASE = join(ROOT, "assignments/llm-architecture/llm-architecture.ipynb");

/** A scratch folder inside the project (so notebooks resolve @courseware/lib from its node_modules), removed at the end. */
const work = join(ROOT, ".courseware-work", `notebooks-${randomBytes(4).toString("hex")}`);
mkdirSync(work, { recursive: true });
const jupyterEnv = jupyterEnvIn(work);

interface CellRun {
  index: number;
  gradeId: string | null;
  failed: boolean;
  stderr: string;
  /** Error outputs, as "name: value" (tslab prints its errors to stderr instead). */
  error: string;
  text: string;
  mime: string[];
}

test.after(() => rmSync(work, { recursive: true, force: true }));

/**
 * Deno's kernel sometimes sends a cell's output after it has reported the cell done, which nbconvert drops; its
 * notebooks are run cell by cell by run_cells.py, which collects outputs until the kernel has been quiet this long.
 */
const DENO_QUIET_S = "0.5";

/** A notebook run cell by cell in a kernel (run_cells.py), in `work`: what each code cell did. */
function runCells(file: string, kernel: "tslab" | "deno"): CellRun[] {
  const args = [join(ROOT, "grader/test/run_cells.py"), file, kernel, ...(kernel === "deno" ? [DENO_QUIET_S] : [])];
  const r = spawnSync(PYTHON, args, { encoding: "utf8", env: jupyterEnv, cwd: work, timeout: 300_000 });
  assert.is(r.status, 0, r.stderr.slice(-3000));
  return JSON.parse(r.stdout) as CellRun[];
}

/** A copy of a notebook in `work` whose metadata names `kernel`, as one saved in that kernel does. */
function inKernel(file: string, kernel: "tslab" | "deno", name: string): string {
  const nb = JSON.parse(readFileSync(file, "utf8")) as { metadata: Record<string, unknown> };
  nb.metadata["kernelspec"] = { name: kernel, display_name: `TypeScript (${kernel === "deno" ? "Deno" : "tslab"}, course project)`, language: "typescript" };
  const out = join(work, name);
  writeFileSync(out, JSON.stringify(nb, null, 1));
  return out;
}

test("both notebooks are valid nbformat 4 for Debian's nbformat, and a broken one is not", () => {
  const validate = (file: string) =>
    spawnSync(PYTHON, ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", file], { encoding: "utf8" });
  for (const file of [SOURCE, RELEASE]) {
    const r = validate(file);
    assert.is(r.status, 0, `${file}: ${r.stderr}`);
  }
  const broken = JSON.parse(readFileSync(RELEASE, "utf8")) as { cells: Array<Record<string, unknown>> };
  delete broken.cells[0]!["source"];
  writeFileSync(join(work, "broken.ipynb"), JSON.stringify(broken));
  const r = validate(join(work, "broken.ipynb"));
  assert.is.not(r.status, 0);
  assert.match(r.stderr, /NotebookValidationError: data.cells\[0\]/);
});

test("the solutions notebook runs top to bottom in the tslab kernel with no error, and every check passes", () => {
  copyFileSync(SOURCE, join(work, "solutions.ipynb"));
  const r = spawnSync(
    JUPYTER,
    ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180", "--output", "solutions-run.ipynb", join(work, "solutions.ipynb")],
    { encoding: "utf8", env: jupyterEnv, cwd: work, timeout: 300_000 },
  );
  assert.is(r.status, 0, r.stderr.slice(-3000));
  const run = JSON.parse(readFileSync(join(work, "solutions-run.ipynb"), "utf8")) as {
    cells: Array<{ cell_type: string; source: string[]; metadata: { nbgrader?: { grade_id?: string } }; outputs?: Array<Record<string, unknown>> }>;
  };
  const code = run.cells.filter((c) => c.cell_type === "code");
  const text = (c: (typeof code)[number]) =>
    (c.outputs ?? []).map((o) => [o["text"], (o["data"] as Record<string, unknown> | undefined)?.["text/plain"]].flat().join("")).join("");
  for (const c of code) {
    const stderr = (c.outputs ?? []).filter((o) => o["name"] === "stderr");
    assert.equal(stderr, [], `cell ${c.metadata.nbgrader?.grade_id} wrote to stderr`);
  }
  const byId = (id: string) => code.find((c) => c.metadata.nbgrader?.grade_id === id)!;
  assert.match(text(byId("load-model")), /Phi3ForCausalLM\(\n {2}\(model\): Phi3Model\(/);
  assert.match(text(byId("generate")), /^ A language model is \S/);
  for (const id of ["softmax-public", "softmax-hidden", "similarity-matrix-public", "similarity-matrix-hidden"]) {
    const report = /(\d+) of (\d+) checks passed/.exec(text(byId(id)));
    assert.ok(report && report[1] === report[2] && Number(report[1]) > 0, `${id}: ${text(byId(id))}`);
  }
  const diff = Number(/largest difference from the model's own attention output: (\S+)/.exec(text(byId("attention-pattern")))?.[1]);
  assert.ok(diff < 1e-5, `the attention pattern recomputed from the hooks reproduces the model's output (difference ${diff})`);
  for (const id of ["playground-neuron", "inspector", "activations", "top-k", "attention-pattern", "rotary-picture"]) {
    assert.ok((byId(id).outputs ?? []).some((o) => o["output_type"] === "display_data"), `${id} shows a rich output`);
  }
});

test("the release notebook fails only in the exercise cells, and its checks explain what is missing", () => {
  copyFileSync(RELEASE, join(work, "release.ipynb"));
  const cells = runCells(join(work, "release.ipynb"), "tslab");
  const release = JSON.parse(readFileSync(RELEASE, "utf8")) as { cells: Array<{ metadata: { nbgrader?: { solution?: boolean } } }> };
  const exercises = cells.filter((c) => release.cells[c.index]!.metadata.nbgrader?.solution === true).map((c) => c.gradeId);
  assert.equal(exercises, ["softmax", "similarity-matrix"]);
  assert.equal(cells.filter((c) => c.failed).map((c) => c.gradeId), exercises);
  for (const c of cells.filter((c) => c.failed)) assert.match(c.stderr, /Error: Not implemented/);
  assert.ok(cells.length > 25, "every code cell ran");
  for (const id of ["softmax-public", "similarity-matrix-public"]) {
    const c = cells.find((x) => x.gradeId === id)!;
    assert.match(c.text, /0 of 2 checks passed/);
    assert.match(c.text, /has no value yet: complete the exercise cell/);
  }
  // the sections after the exercises still draw their figures; the top-k chart shows the student's p, so it asks for it
  for (const id of ["similarity-heatmap", "attention-pattern", "rotary-picture"]) {
    assert.ok(cells.find((x) => x.gradeId === id)!.mime.includes("image/svg+xml"), `${id} draws its chart`);
  }
  const topK = cells.find((x) => x.gradeId === "top-k")!;
  assert.ok(!topK.failed && !topK.mime.includes("image/svg+xml"), "top-k draws nothing before Exercise 2 is done");
  assert.match(topK.text, /Complete Exercise 2 and run it/);
});

test("the solutions notebook runs cell by cell in the Deno kernel with no error, every check passes, and the same cells show rich output", () => {
  const cells = runCells(inKernel(SOURCE, "deno", "solutions-deno.ipynb"), "deno");
  const byId = (id: string) => cells.find((c) => c.gradeId === id)!;
  assert.equal(cells.filter((c) => c.failed || c.stderr !== "").map((c) => `${c.gradeId}: ${c.stderr}`), [], "cells failed or wrote to stderr");
  assert.ok(cells.length > 25, "every code cell ran");
  assert.match(byId("load-model").text, /Phi3ForCausalLM\(\n {2}\(model\): Phi3Model\(/);
  for (const id of ["softmax-public", "softmax-hidden", "similarity-matrix-public", "similarity-matrix-hidden"]) {
    const report = /(\d+) of (\d+) checks passed/.exec(byId(id).text);
    assert.ok(report && report[1] === report[2] && Number(report[1]) > 0, `${id}: ${byId(id).text}`);
  }
  const diff = Number(/largest difference from the model's own attention output: (\S+)/.exec(byId("attention-pattern").text)?.[1]);
  assert.ok(diff < 1e-5, `the attention pattern recomputed from the hooks reproduces the model's output (difference ${diff})`);
  // the library's figures reach Deno's front end as the same MIME bundles as tslab's
  for (const id of ["playground-neuron", "inspector", "logits", "lm-head", "embedding-module", "decoder-layer"]) assert.ok(byId(id).mime.includes("text/html"), `${id} shows HTML`);
  for (const id of ["activations", "top-k", "similarity-heatmap", "attention-pattern", "rotary-picture"]) assert.ok(byId(id).mime.includes("image/svg+xml"), `${id} draws its chart`);
});

// Every assignment's notebooks in Deno (the first lesson's are also looked at closely above, and in tslab):
// the source runs clean with every check passing, the release fails only in its exercise cells.
const ASSIGNMENTS = readdirSync(join(ROOT, "solutions"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
for (const name of ASSIGNMENTS) {
  test(`${name} in the Deno kernel: the source notebook runs with no error and every check passes; the release fails only in the exercises`, () => {
    const source = join(ROOT, `solutions/${name}/${name}.ipynb`);
    const release = join(ROOT, `assignments/${name}/${name}.ipynb`);
    const ran = runCells(inKernel(source, "deno", `${name}-source-deno.ipynb`), "deno");
    assert.equal(ran.filter((c) => c.failed || c.stderr !== "").map((c) => `${c.gradeId}: ${c.error}${c.stderr}`), [], "cells failed or wrote to stderr");
    const checks = ran.filter((c) => /checks passed/.test(c.text));
    assert.ok(checks.length >= 2, `${name}: check reports shown (${checks.length})`);
    for (const c of checks) {
      const [, passed, of] = /(\d+) of (\d+) checks passed/.exec(c.text)!;
      assert.is(passed, of, `${name} ${c.gradeId}: ${c.text}`);
    }
    const exercises = (JSON.parse(readFileSync(release, "utf8")) as { cells: Array<{ cell_type: string; metadata: { nbgrader?: { solution?: boolean; grade_id?: string } } }> }).cells
      .filter((c) => c.cell_type === "code" && c.metadata.nbgrader?.solution === true)
      .map((c) => c.metadata.nbgrader!.grade_id);
    const released = runCells(inKernel(release, "deno", `${name}-release-deno.ipynb`), "deno");
    assert.equal(released.filter((c) => c.failed).map((c) => c.gradeId), exercises);
  });
}

test("the Deno harness keeps the outputs Deno sends after a cell is done: eight console.log lines, six cells", () => {
  // The smallest case found (deno 2.9.6): a cell that is only a loop of console.log calls. Deno reports the cell
  // idle before most of its stream messages; `jupyter nbconvert --execute` kept 0, 4, 4, 3, 8 and 4 of the 8 lines
  // of six such cells in one run.
  const cell = (i: number) => ({ cell_type: "code", id: `c${i}`, metadata: {}, outputs: [], execution_count: null, source: "for (let i = 0; i < 8; i++) console.log(`line ${i}`);" });
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } }, cells: [0, 1, 2, 3, 4, 5].map(cell) };
  writeFileSync(join(work, "late-outputs.ipynb"), JSON.stringify(nb));
  const cells = runCells(join(work, "late-outputs.ipynb"), "deno");
  const expected = Array.from({ length: 8 }, (_, i) => `line ${i}\n`).join("");
  assert.equal(cells.map((c) => c.text), Array(6).fill(expected));
});

test("courseware validate: a complete notebook passes, the untouched one is told what to do, a missing file is a usage error", () => {
  const validate = (file: string) =>
    spawnSync(process.execPath, [join(ROOT, "grader/bin/courseware.js"), "validate", file], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  const complete = validate("examples/llm-architecture/complete.ipynb");
  assert.is(complete.status, 0, complete.stdout + complete.stderr);
  // in points, as grading counts them: each public check cell's points shared by its checks
  assert.match(complete.stdout, /complete\.ipynb: 4 of 4 public checks pass \(2 of 2 points from the public checks\)\./);
  assert.match(complete.stdout, /✓ p is a Tensor with the dims of the logits \(0\.5 \/ 0\.5 points\)/);
  assert.match(complete.stdout, /hidden test cells: passing the public checks does not guarantee full marks/);
  const untouched = validate("examples/llm-architecture/untouched.ipynb");
  assert.is(untouched.status, 1);
  assert.match(untouched.stdout, /0 of 4 public checks pass \(0 of 2 points/);
  assert.match(untouched.stdout, /`p` has no value when the notebook finishes/);
  assert.match(untouched.stdout, /Cell \d+ \(the answer cell "softmax"\) raised Error: Not implemented/);
  assert.match(untouched.stdout, /not answered yet: nn-definition/);
  // hidden test names never appear
  const source = readFileSync(SOURCE, "utf8");
  for (const name of ["each row of p sums to 1", "matches the cosine similarities"]) {
    assert.ok(source.includes(name));
    assert.not.ok(untouched.stdout.includes(name) || complete.stdout.includes(name), `hidden test "${name}" shown`);
  }
  // a type error that Deno's kernel runs unchecked: validate says why the grader fails that cell, for Deno notebooks only
  const typed = JSON.parse(readFileSync(join(ROOT, "examples/llm-architecture/complete.ipynb"), "utf8")) as { metadata: Record<string, unknown>; cells: Array<{ metadata: { nbgrader?: { grade_id?: string } }; source: string | string[] }> };
  const answer = typed.cells.find((c) => c.metadata.nbgrader?.grade_id === "similarity-matrix")!;
  answer.source = `const label: number = "three";\n${([] as string[]).concat(answer.source).join("")}`;
  writeFileSync(join(work, "typed.ipynb"), JSON.stringify(typed));
  for (const kernel of ["deno", "tslab"] as const) {
    const r = validate(inKernel(join(work, "typed.ipynb"), kernel, `typed-${kernel}.ipynb`));
    assert.is(r.status, 1);
    assert.match(r.stdout, /raised 1:7 - Type 'string' is not assignable to type 'number'/);
    const said = /run in the Deno kernel, which runs TypeScript without checking its types\. The grader checks them/.test(r.stdout);
    assert.is(said, kernel === "deno", `${kernel}: ${r.stdout}`);
  }
  const missing = validate("no/such.ipynb");
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /No such notebook: no\/such\.ipynb/);
});

test.run();
