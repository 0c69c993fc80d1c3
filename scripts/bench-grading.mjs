#!/usr/bin/env node
// Benchmark: this grader against the Jupyter kernel path nbgrader's autograde takes, on the same notebooks, in one run.
// Usage: npm run build && node scripts/bench-grading.mjs [--count 50] [--jobs 2] [--kernel-count N]
//   ours:   `courseware grade <folder> --jobs N` (sandboxed, tests in the grader), wall time and peak resident
//           memory per sandbox process and of the compile server (sampled from /proc every 100 ms);
//   kernel: for each submission, the source notebook with the student's answer cells (hidden tests and reference
//           cell included, as autograde runs them), `jupyter nbconvert --execute --allow-errors` with the project's
//           tslab kernel, one after another; scores read from the check reports the test cells print.
// Scores of the two paths are compared per student. --kernel-count runs the kernel path on the first N only
// (its throughput is then extrapolated per notebook, and only those scores are compared).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatNotebook, loadAssignment, readNotebook } from "../grader/dist/src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: opts } = parseArgs({ options: { count: { type: "string", default: "50" }, jobs: { type: "string", default: "2" }, "kernel-count": { type: "string" } } });
const count = Number(opts.count);
const kernelCount = Math.min(count, Number(opts["kernel-count"] ?? count));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };

// The submissions: the graded examples, cycled, each made different as real students' are. Every answer cell gets
// the student's own comment, and every other student also declares a helper of their own at the top level of the
// softmax answer, which changes the declarations all later cells are compiled against (as a TypeScript kernel sees them).
const subs = mkdtempSync(join(tmpdir(), "bench-subs-"));
const kinds = ["complete", "partly-right", "untouched"];
for (let i = 0; i < count; i++) {
  const nb = JSON.parse(readFileSync(join(root, "examples/llm-architecture", `${kinds[i % kinds.length]}.ipynb`), "utf8"));
  for (const cell of nb.cells) {
    const id = cell.cell_type === "code" && cell.metadata.nbgrader?.solution ? cell.metadata.nbgrader.grade_id : null;
    if (!id) continue;
    const own = id === "softmax" && i % 2 === 1 ? `const myScale${i} = 1; // a helper of student ${i}\n` : `// student ${i}\n`;
    cell.source = own + (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
  }
  writeFileSync(join(subs, `student-${String(i).padStart(3, "0")}.ipynb`), JSON.stringify(nb, null, 1));
}

// --- ours ---------------------------------------------------------------------------------------------------
const out = mkdtempSync(join(tmpdir(), "bench-grades-"));
const peaks = new Map();
let compilerPeak = 0;
const nodeBinary = realpathSync(process.execPath);
const sample = () => {
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      // the notebooks' and the compile server's own Node processes (not the bwrap and shell processes around them)
      if (readlinkSync(`/proc/${pid}/exe`) !== nodeBinary) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const sandbox = cmdline.includes("sandbox-child.js");
      if (!sandbox && !cmdline.includes("compile-server.js")) continue;
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
      if (sandbox) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rss));
      else compilerPeak = Math.max(compilerPeak, rss);
    } catch { /* ended */ }
  }
};
const sampler = setInterval(sample, 100);
let t0 = performance.now();
const grader = spawn(process.execPath, [join(root, "grader/bin/courseware.js"), "grade", subs, "--out", out, "--jobs", opts.jobs], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
let graderErr = "";
grader.stderr.on("data", (b) => (graderErr = (graderErr + b).slice(-2000)));
const code = await new Promise((r) => grader.on("exit", r));
const oursSeconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
if (code !== 0) throw new Error(`courseware grade failed (${code}): ${graderErr}`);
const ours = new Map(readdirSync(join(out, "students")).map((f) => { const d = JSON.parse(readFileSync(join(out, "students", f), "utf8")); return [d.student, d.score]; }));

// --- the kernel path -----------------------------------------------------------------------------------------
const assignment = await loadAssignment(join(root, "solutions"), "llm-architecture");
const source = await readNotebook(assignment.sourcePath);
const work = join(root, ".courseware-work", `bench-${process.pid}`);
mkdirSync(work, { recursive: true });
const env = { ...process.env, JUPYTER_PATH: root, JUPYTER_CONFIG_DIR: join(work, ".cfg"), JUPYTER_DATA_DIR: join(work, ".data"), JUPYTER_RUNTIME_DIR: join(work, ".run") };
const text = (c) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const kernelScores = new Map();
const kernelTimes = [];
try {
  for (let i = 0; i < kernelCount; i++) {
    const student = `student-${String(i).padStart(3, "0")}`;
    const submitted = await readNotebook(join(subs, `${student}.ipynb`));
    const answers = new Map(submitted.cells.filter((c) => c.metadata.nbgrader?.solution).map((c) => [c.metadata.nbgrader.grade_id, c]));
    // the source notebook with the student's answers in place of the solutions, as autograde runs it
    const nb = { ...source, cells: source.cells.map((c) => (c.metadata.nbgrader?.solution && answers.has(c.metadata.nbgrader.grade_id) ? { ...c, source: answers.get(c.metadata.nbgrader.grade_id).source } : c)) };
    const file = join(work, `${student}.ipynb`);
    writeFileSync(file, formatNotebook(nb));
    const t = performance.now();
    const r = spawnSync("/usr/bin/jupyter", ["nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--ExecutePreprocessor.timeout=120", "--output", `${student}.run.ipynb`, file], { cwd: work, env, encoding: "utf8" });
    kernelTimes.push((performance.now() - t) / 1000);
    if (r.status !== 0) throw new Error(`nbconvert failed on ${student}: ${r.stderr.slice(-1000)}`);
    const run = JSON.parse(readFileSync(join(work, `${student}.run.ipynb`), "utf8"));
    let score = 0;
    for (const c of run.cells) {
      const points = c.metadata?.nbgrader?.grade && !c.metadata.nbgrader.solution ? c.metadata.nbgrader.points ?? 0 : 0;
      if (!points) continue;
      const shown = (c.outputs ?? []).map((o) => [o.text, o.data?.["text/plain"]].flat().join("")).join("");
      const m = /(\d+) of (\d+) checks passed/.exec(shown);
      if (m) score += (points * Number(m[1])) / Number(m[2]);
    }
    kernelScores.set(student, Math.round(score * 1e6) / 1e6);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// --- report --------------------------------------------------------------------------------------------------
const kernelPerNotebook = kernelTimes.reduce((a, b) => a + b, 0) / kernelTimes.length;
const oursThroughput = (count / oursSeconds) * 60;
const kernelThroughput = 60 / kernelPerNotebook;
const mismatches = [...kernelScores].filter(([s, k]) => ours.get(s) !== k);
const mib = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
console.log(`${count} submissions (${kinds.join(", ")}, cycled); ${process.platform}, ${readFileSync("/proc/cpuinfo", "utf8").match(/^processor/gm).length} cores`);
console.log(`ours:   courseware grade --jobs ${opts.jobs}: ${oursSeconds.toFixed(1)} s, ${oursThroughput.toFixed(1)} notebooks/min; peak memory per sandbox: median ${mib(median([...peaks.values()]))}, max ${mib(Math.max(...peaks.values()))} (${peaks.size} sandboxes sampled); compile server: ${mib(compilerPeak)}`);
console.log(`kernel: nbconvert --execute (tslab), one after another, ${kernelCount} notebooks: ${kernelPerNotebook.toFixed(2)} s per notebook (median ${median(kernelTimes).toFixed(2)} s), ${kernelThroughput.toFixed(1)} notebooks/min`);
console.log(`throughput ratio ours / kernel: ${(oursThroughput / kernelThroughput).toFixed(2)}x`);
console.log(mismatches.length ? `score differences (student: ours vs kernel): ${mismatches.map(([s, k]) => `${s}: ${ours.get(s)} vs ${k}`).join(", ")}` : `scores: the same for all ${kernelScores.size} compared submissions`);
rmSync(subs, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
