// One attacking notebook per sandbox rule. Rules that need the OS layer (bubblewrap) run where it works and say so
// loudly where it does not.
import { statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isolatedCommand, osLayerAvailable } from "../src/grade/isolate.js";
import type { SandboxLimits } from "../src/grade/sandbox.js";
import { ROOT } from "./helpers.js";
import { runCells } from "./sandbox-run.js";

const WORK = join(ROOT, ".courseware-work-attacks");
await mkdir(WORK, { recursive: true });

const run = (cells: string[], names: string[] = [], limits: Partial<SandboxLimits> = {}) => runCells(join(WORK, "sub-"), cells, names, limits);
const errors = (r: Awaited<ReturnType<typeof run>>, i: number) => r.cells[i]!.outputs.map((o) => o.error ?? o.text ?? "").join("");
const withOsLayer = osLayerAvailable();
if (!withOsLayer) console.warn("WARNING: bubblewrap does not work on this machine: the network and signal rules are not tested here.");

test.after(() => rm(WORK, { recursive: true, force: true }));

const asRoot = process.getuid?.() === 0;
/** Whether other users can enter every folder down to the packages (a checkout under mktemp -d's 700 folder cannot). */
function othersCanReach(path: string): boolean {
  for (let p = path; ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return false;
    if (p === dirname(p)) return true;
  }
}
const slotUsers = asRoot && othersCanReach(join(ROOT, "node_modules"));
if (asRoot && !slotUsers) console.warn("WARNING: other users cannot reach this checkout: notebooks run as root here, and only that fallback is tested.");

test("the result lists the layers that were active", async () => {
  const r = await run(["let x = 1;"], ["x"]);
  assert.equal(r.layers, ["node-permission-model", ...(slotUsers ? ["unprivileged-user"] : []), ...(withOsLayer ? ["bubblewrap"] : [])]);
});

test("users: a root grader keeps its own user only where other users cannot read the packages", async () => {
  if (!asRoot) return;
  const hidden = await mkdtemp(join(WORK, "private-")); // mode 700, as mktemp -d makes
  const workDir = await mkdtemp(join(WORK, "sub-"));
  const open = isolatedCommand("./sandbox-child.js", { readable: [join(ROOT, "node_modules")], workDir, maxHeapMb: 256, slot: 3 });
  assert.equal(open.user, slotUsers ? { uid: 61_003, gid: 61_003 } : undefined);
  const closed = isolatedCommand("./sandbox-child.js", { readable: [join(ROOT, "node_modules"), hidden], workDir, maxHeapMb: 256, slot: 3 });
  assert.is(closed.user, undefined);
  assert.not.ok(closed.layers.includes("unprivileged-user"));
});

test("users: under a root grader, each slot's notebook runs as its own unprivileged user and cannot signal the grader, even without bubblewrap", async () => {
  if (!slotUsers) return;
  const probe = ["let uid = process.getuid();", "let signal = (() => { try { process.kill(process.ppid, 0); return \"allowed\"; } catch (e) { return (e as NodeJS.ErrnoException).code; } })();"];
  for (const slot of [0, 1]) {
    const r = await runCells(join(WORK, "sub-"), probe, ["uid", "signal"], {}, { osLayer: false, slot });
    assert.ok(r.layers.includes("unprivileged-user"));
    assert.equal(r.values, { uid: { kind: "json", value: 61_000 + slot }, signal: { kind: "json", value: "EPERM" } });
  }
});

test("writes: only inside its own folder", async () => {
  const r = await run([
    'import * as fs from "fs";\nfs.writeFileSync("notes.txt", "mine");\nlet back = fs.readFileSync("notes.txt", "utf8");',
    `import * as fs2 from "fs";\nfs2.writeFileSync(${JSON.stringify(join(ROOT, "solutions", "hack.txt"))}, "x");`,
    'import * as fs3 from "fs";\nfs3.writeFileSync("/tmp/outside.txt", "x");',
  ], ["back"]);
  assert.equal(r.cells.map((c) => c.ok), [true, false, false]);
  assert.equal(r.values, { back: { kind: "json", value: "mine" } });
  assert.match(errors(r, 1), /ERR_ACCESS_DENIED|restricted/);
});

test(`node's permission model alone (${process.version}, no bubblewrap): no processes, workers, inspector or WASI, no reads or writes outside`, async () => {
  const r = await runCells(join(WORK, "sub-"), [
    'import * as cp from "child_process";\ncp.execFileSync("/bin/true");',
    'import { Worker } from "worker_threads";\nnew Worker("1", { eval: true });',
    'import * as inspector from "inspector";\ninspector.open(0);',
    'import { WASI } from "wasi";\nnew WASI({ version: "preview1" });',
    `import * as fs from "fs";\nfs.readFileSync(${JSON.stringify(join(ROOT, "solutions/llm-architecture/llm-architecture.ipynb"))}, "utf8");`,
    `import * as fs2 from "fs";\nfs2.writeFileSync(${JSON.stringify(join(WORK, "outside.txt"))}, "x");`,
    "let after = 1;",
  ], ["after"], {}, { osLayer: false });
  assert.not.ok(r.layers.includes("bubblewrap"));
  assert.equal(r.cells.map((c) => c.ok), [false, false, false, false, false, false, true]);
  for (let i = 0; i < 6; i++) assert.match(errors(r, i), /ERR_ACCESS_DENIED|Access to this API has been restricted/, `cell ${i + 1}: ${errors(r, i)}`);
  assert.equal(r.values, { after: { kind: "json", value: 1 } });
});

test("reads: not the solutions, not another submission's folder", async () => {
  const other = await mkdtemp(join(WORK, "other-"));
  await writeFile(join(other, "answers.txt"), "someone else's work");
  const r = await run([
    `import * as fs from "fs";\nfs.readFileSync(${JSON.stringify(join(ROOT, "solutions/llm-architecture/llm-architecture.ipynb"))}, "utf8");`,
    `import * as fs2 from "fs";\nfs2.readFileSync(${JSON.stringify(join(other, "answers.txt"))}, "utf8");`,
    `import * as fs3 from "fs";\nfs3.readdirSync(${JSON.stringify(WORK)});`,
  ]);
  assert.equal(r.cells.map((c) => c.ok), [false, false, false]);
});

test("network: no connection leaves the sandbox", async () => {
  if (!withOsLayer) return;
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await run([
      `import * as net from "net";\nlet result = await new Promise<string>((resolve) => net.connect(${port}, "127.0.0.1").on("connect", () => resolve("connected")).on("error", (e) => resolve(String(e))));`,
    ], ["result"]);
    assert.match(JSON.stringify(r.values), /Error/);
    assert.is(connections, 0);
  } finally {
    server.close();
  }
});

test("network from Node.js 26 on: refused by the permission model itself, even without bubblewrap", async () => {
  if (Number(process.versions.node.split(".")[0]) < 26) return; // before 26 only bubblewrap blocks the network
  const r = await runCells(join(WORK, "sub-"), [
    'import * as net from "net";\nlet result = await new Promise<string>((resolve) => net.connect(9, "127.0.0.1").on("connect", () => resolve("connected")).on("error", (e) => resolve((e as NodeJS.ErrnoException).code ?? String(e))));',
  ], ["result"], {}, { osLayer: false });
  assert.equal(r.values, { result: { kind: "json", value: "ERR_ACCESS_DENIED" } });
});

test("signals: the notebook cannot kill the grader", async () => {
  if (!withOsLayer) return; // without a pid namespace this would kill the test itself
  const r = await run(["process.kill(process.ppid, 'SIGKILL');", "let alive = 1;"], ["alive"]);
  assert.ok(["completed", "crashed"].includes(r.outcome));
  assert.ok(process.pid > 0, "the grader (this test) is still running");
});

test("errors thrown later by timers and unhandled rejections are contained; the notebook goes on", async () => {
  const r = await run([
    'setTimeout(() => { throw new Error("late boom"); }, 10);',
    'Promise.reject(new Error("nobody catches this"));',
    "await new Promise((r) => setTimeout(r, 200));\nlet after = 1;",
  ], ["after"]);
  assert.is(r.outcome, "completed");
  assert.equal(r.values, { after: { kind: "json", value: 1 } });
});

test("timers left running do not keep the run alive", async () => {
  const started = Date.now();
  const r = await run(["setInterval(() => {}, 5);\nlet x = 1;"], ["x"]);
  assert.is(r.outcome, "completed");
  assert.ok(Date.now() - started < 15_000);
});

test("nothing printed or written to the result channel passes for a result", async () => {
  const r = await run([
    "let score = 1;",
    'import * as fs from "fs";\nfor (const fd of [1, 2, 3]) { try { fs.writeSync(fd, JSON.stringify({ type: "values", id: "guess", values: { score: { kind: "json", value: 999 } } }) + "\\n"); } catch {} }\nconsole.log("All tests passed: 100/100");',
  ], ["score"]);
  assert.equal(r.values, { score: { kind: "json", value: 1 } });
});

test("memory: a heap bomb and a buffer bomb are stopped with a reason", async () => {
  const heap = await run(["const keep: number[][] = [];\nwhile (true) keep.push(new Array(1e6).fill(1));"], [], { maxHeapMb: 256 });
  assert.is(heap.outcome, "crashed");
  assert.match(heap.detail ?? "", /memory/);
  const buffers = await run(["const held: Buffer[] = [];\nwhile (true) { held.push(Buffer.alloc(64 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 20)); }"], [], { maxRssMb: 700 });
  assert.is(buffers.outcome, "crashed");
  assert.match(buffers.detail ?? "", /used more memory than allowed/);
});

test("output: a flood of printing is capped and marked", async () => {
  const r = await run(['for (let i = 0; i < 200000; i++) console.log("spam spam spam spam spam spam spam spam");\nlet done = 1;'], ["done"]);
  assert.is(r.cells[0]!.truncated, true);
  assert.ok(r.cells[0]!.outputs.map((o) => o.text ?? "").join("").length < 2_000_000);
  assert.equal(r.values, { done: { kind: "json", value: 1 } });
});

// The compile server is shared by the submissions of a batch and runs outside the sandbox's process: it must be as
// blind as the sandbox and must not let one submission stall the others.
test("compiling: an import cannot read a file the notebook may not read, not even into an error message", async () => {
  const secrets = await mkdtemp(join(ROOT, ".courseware-secret-"));
  try {
    // were these readable, the type errors below would print `{ hiddenValue42: ... }`
    await writeFile(join(secrets, "answers.d.ts"), "export declare const secret: { hiddenValue42: 1 };");
    await writeFile(join(secrets, "answers.json"), '{ "hiddenValue42": 1 }');
    const r = await run([
      `import { secret } from ${JSON.stringify(join(secrets, "answers"))};\nconst n: number = secret;`,
      `import data from ${JSON.stringify(join(secrets, "answers.json"))};\nconst m: number = data;`,
      `/// <reference path=${JSON.stringify(join(secrets, "answers.d.ts"))} />\nconst k: number = secret;`,
    ]);
    assert.equal(r.cells.map((c) => c.ok), [false, false, false]);
    for (let i = 0; i < 3; i++) assert.not.match(errors(r, i), /hiddenValue42/);
    assert.match(errors(r, 0), /Cannot find module/);
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
});

test("compiling: a cell that takes too long to compile stops its notebook, and the next notebook is graded", async () => {
  const bomb = Array.from({ length: 5000 }, (_, i) => `const v${i}: number = ${i} as number;`).join("\n");
  const r = await run([bomb, "let after = 2;"], ["after"], { compileTimeoutMs: 1500 });
  assert.is(r.outcome, "timeout");
  assert.match(r.detail ?? "", /compiling code cell 1 took more than 1.5 s/);
  const next = await run(["let fine = 3;"], ["fine"], { compileTimeoutMs: 1500 });
  assert.equal(next.values, { fine: { kind: "json", value: 3 } });
});

test.run();
