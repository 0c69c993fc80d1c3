#!/usr/bin/env node
// Benchmark of queue mode. Starts its own redis-server (Debian's) on a free loopback port.
// Usage: npm run build && node scripts/bench-queue.mjs [--stub-jobs 10000] [--stub-workers 2] [--count 50] [--skip-real]
//   stub:  the coordinator (grader's QueueCoordinator) enqueues --stub-jobs jobs carrying a real submission's bytes
//          and the batch's manifest; --stub-workers processes answer each at once with a score document. Jobs per
//          second is the queue's and the coordinator's own overhead, with no grading in it.
//   real:  `courseware grade` of --count varied submissions (as scripts/bench-grading.mjs makes them) locally with
//          --jobs 2, then through the queue with one worker (--jobs 2) and with two workers (--jobs 1 each), all on
//          this machine; wall time and notebooks per minute, and whether the scores match the local batch's.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: opts } = parseArgs({
  options: { "stub-jobs": { type: "string", default: "10000" }, "stub-workers": { type: "string", default: "2" }, count: { type: "string", default: "50" }, "skip-real": { type: "boolean" } },
});
const { QueueCoordinator } = await import(join(root, "grader/dist/src/queue/coordinator.js"));
const { gradingJob } = await import(join(root, "grader/dist/src/queue/grading-job.js"));

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const url = `redis://127.0.0.1:${port}`;
const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
process.on("exit", () => redis.kill());
await new Promise((r) => setTimeout(r, 500));
const run = (cmd, args, env = {}) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
const flush = () => run("redis-cli", ["-u", url, "flushall"]);

// --- stub grader: the queue's own overhead
{
  const n = Number(opts["stub-jobs"]);
  const bytes = readFileSync(join(root, "examples/llm-architecture/complete.ipynb"));
  // a real score document and manifest: the example graded locally once
  const one = mkdtempSync(join(tmpdir(), "bench-queue-one-"));
  const graded = await run("node", [join(root, "grader/bin/courseware.js"), "grade", join(root, "examples/llm-architecture/complete.ipynb"), "--out", one]);
  if (graded.code !== 0) throw new Error(graded.out);
  const doc = JSON.parse(readFileSync(join(one, "students/complete.json"), "utf8"));
  const manifest = doc.manifest;
  const stub = `
    import { Worker } from "bullmq";
    const doc = ${JSON.stringify(doc)};
    const w = new Worker("courseware-grading", async (job) => ({ ...doc, student: job.data.submission.student }), { connection: { url: ${JSON.stringify(url)}, maxRetriesPerRequest: null }, concurrency: 100 });
    process.on("SIGTERM", () => w.close().then(() => process.exit(0)));`;
  const workers = Array.from({ length: Number(opts["stub-workers"]) }, () => spawn("node", ["--input-type=module", "-e", stub], { cwd: root, stdio: "inherit" }));
  const coordinator = await QueueCoordinator.open(url, (l) => console.error(l));
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => coordinator.grade(gradingJob(doc.assignment, manifest, { file: `s${i}.ipynb`, student: `s${i}`, source: `s${i}.ipynb` }, bytes, {}))),
  );
  const s = (performance.now() - t0) / 1000;
  await coordinator.close();
  for (const w of workers) w.kill("SIGTERM");
  const memory = (await run("redis-cli", ["-u", url, "info", "memory"])).out.match(/used_memory_human:([^\r\n]+)/)?.[1] ?? "(not read)";
  console.log(`stub grader: ${n} jobs (${(bytes.length / 1024).toFixed(0)} KiB notebook each) through Redis with ${workers.length} stub workers in ${s.toFixed(1)} s: ${(n / s).toFixed(0)} jobs/s; ${results.filter((r) => r.student).length} documents back; Redis holds ${memory}`);
  await flush();
}

// --- real grading: local, one worker, two workers
if (!opts["skip-real"]) {
  const count = Number(opts.count);
  const subs = mkdtempSync(join(tmpdir(), "bench-queue-subs-"));
  const kinds = ["complete", "partly-right", "untouched"];
  for (let i = 0; i < count; i++) {
    const nb = JSON.parse(readFileSync(join(root, "examples/llm-architecture", `${kinds[i % 3]}.ipynb`), "utf8"));
    for (const cell of nb.cells) if (cell.cell_type === "code" && cell.metadata.nbgrader?.solution) cell.source = `// student ${i}\n` + [cell.source].flat().join("");
    writeFileSync(join(subs, `student-${String(i).padStart(3, "0")}.ipynb`), JSON.stringify(nb, null, 1));
  }
  const scores = (dir) => Object.fromEntries(readdirSync(join(dir, "students")).map((f) => [f, JSON.parse(readFileSync(join(dir, "students", f), "utf8")).score]));
  const cli = join(root, "grader/bin/courseware.js");
  const timed = async (label, out, workerArgs) => {
    await flush();
    const workers = workerArgs.map((a) => spawn("node", [cli, "worker", "--queue", url, ...a], { cwd: root, stdio: "ignore" }));
    const t0 = performance.now();
    const r = await run("node", [cli, "grade", subs, "--out", out, ...(workerArgs.length ? ["--queue", url] : ["--jobs", "2"])]);
    const s = (performance.now() - t0) / 1000;
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((res) => (w.exitCode !== null ? res() : w.on("exit", res)))));
    if (r.code !== 0) throw new Error(`${label} failed:\n${r.out}`);
    console.log(`${label.padEnd(34)} ${count} notebooks in ${s.toFixed(1)} s: ${((count / s) * 60).toFixed(1)} per minute`);
    return out;
  };
  const base = mkdtempSync(join(tmpdir(), "bench-queue-out-"));
  const local = scores(await timed("local, --jobs 2", join(base, "local"), []));
  for (const [label, args] of [["queue, 1 worker --jobs 2", [["--jobs", "2"]]], ["queue, 2 workers --jobs 1 each", [["--jobs", "1"], ["--jobs", "1"]]]]) {
    const got = scores(await timed(label, join(base, label.replace(/\W+/g, "-")), args));
    console.log(`  scores ${JSON.stringify(got) === JSON.stringify(local) ? "match" : "DIFFER from"} the local batch's`);
  }
  rmSync(subs, { recursive: true, force: true });
  rmSync(base, { recursive: true, force: true });
}
redis.kill();
