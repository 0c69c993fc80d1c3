// Queue mode against a real Redis (Debian's redis-server, started here on a loopback port) with real
// `courseware worker` processes: the documents must be a local batch's (apart from timing and the worker's name),
// also when a worker is killed mid-job (BullMQ's stalled-job check hands its job to another), when a worker set up
// differently refuses, when the coordinator is restarted, and when Redis itself restarts (with its data, and
// without); a submission that kills every worker it meets ends as an error after ATTEMPTS workers.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ATTEMPTS } from "../src/queue/grading-job.js";
import type { Report } from "../src/report/report-data.js";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");
const work = mkdtempSync(join(tmpdir(), "queue-test-"));
const subs = join(work, "subs");
cpSync(join(ROOT, "examples/llm-architecture"), subs, { recursive: true });
for (const [from, to] of [["complete", "complete-2"], ["partly-right", "partly-right-2"]]) cpSync(join(subs, `${from}.ipynb`), join(subs, `${to}.ipynb`));
const STUDENTS = readdirSync(subs).map((f) => f.replace(/\.ipynb$/, "")).sort();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

interface Proc {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}
function start(cmd: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, COURSEWARE_QUEUE_LOCK_MS: "4000", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out, exit: new Promise((r) => child.on("exit", (code) => r(code))) };
}
async function until(what: string, ok: () => boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let redis: Proc;
let url: string;
/** A redis-server on a free loopback port, ready for connections. */
async function redisServer(port: number, ...options: string[]): Promise<Proc> {
  const server = start("redis-server", ["--port", String(port), "--bind", "127.0.0.1", ...options]);
  await until("redis-server", () => server.output().includes("Ready to accept connections"), 20_000);
  return server;
}
const worker = (name: string, extra: string[] = []) => start("node", [CLI, "worker", "--queue", url, "--jobs", "1", "--name", name, ...extra]);
const grade = (out: string, extra: string[] = []) => start("node", [CLI, "grade", subs, "--out", out, "--queue", url, ...extra]);
async function stop(...ps: Proc[]): Promise<void> {
  for (const p of ps) if (p.child.exitCode === null) p.child.kill("SIGTERM");
  await Promise.all(ps.map((p) => p.exit));
}
async function flush(): Promise<void> {
  const cli = start("redis-cli", ["-u", url, "flushall"]);
  assert.is(await cli.exit, 0);
}

/** The documents of a grades folder without what may differ between runs and machines. */
function documents(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of readdirSync(join(dir, "students"))) {
    const doc = JSON.parse(readFileSync(join(dir, "students", f), "utf8"));
    delete doc.timing;
    delete doc.grader.worker;
    out[f] = doc;
  }
  return out;
}
const gradedBy = (p: Proc) => [...p.output().matchAll(/: grading (\S+) \(job/g)].map((m) => m[1]!);

let local: Record<string, unknown>;

test.before(async () => {
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = await redisServer(port, "--save", "", "--appendonly", "no");
  const out = join(work, "local");
  const run = start("node", [CLI, "grade", subs, "--out", out]);
  assert.is(await run.exit, 0, run.output());
  local = documents(out);
  assert.is(Object.keys(local).length, STUDENTS.length);
});

test.after(async () => {
  await stop(redis);
});

test("an unreachable Redis or a URL that is not one: one clear message, nothing written", async () => {
  const out = join(work, "unreachable");
  const down = start("node", [CLI, "grade", subs, "--out", out, "--queue", `redis://127.0.0.1:${await freePort()}`]);
  assert.is(await down.exit, 3);
  assert.match(down.output(), /Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/? \(waited 10 s\)/);
  assert.not.ok(readdirSync(work).includes("unreachable") && readdirSync(join(out, "students")).length > 0, "no documents");
  const bad = start("node", [CLI, "worker", "--queue", "localhost:6379"]);
  assert.is(await bad.exit, 2);
  assert.match(bad.output(), /--queue takes a redis:\/\/ or rediss:\/\/ URL/);
});

test("two workers, then three with one killed (SIGKILL) mid-job: the same documents as a local batch", async () => {
  for (const n of [2, 3]) {
    await flush();
    const workers = Array.from({ length: n }, (_, i) => worker(`w${n}-${i}`));
    const out = join(work, `queue-${n}`);
    const coordinator = grade(out);
    if (n === 3) {
      const victim = workers[2]!;
      await until("the third worker to take a job", () => gradedBy(victim).length > 0);
      victim.child.kill("SIGKILL");
    }
    assert.is(await coordinator.exit, 0, coordinator.output());
    await stop(...workers);
    assert.equal(documents(out), local, `${n} workers: documents differ from the local batch's`);
    const all = workers.flatMap(gradedBy);
    assert.equal([...new Set(all)].sort(), STUDENTS, "every submission went through a worker");
    if (n === 3) assert.ok(all.length > new Set(all).size, "the killed worker's job was graded again by another");
    const names = new Set(readdirSync(join(out, "students")).map((f) => JSON.parse(readFileSync(join(out, "students", f), "utf8")).grader.worker));
    assert.ok(names.size >= 2, `documents name the workers that graded them: ${[...names].join(", ")}`);
    if (n === 2) reportsAgree(out);
  }
});

/** `courseware report` on the queue batch: a local batch's figures and pairs, and each worker's share of the time. */
function reportsAgree(queued: string): void {
  const report = (from: string) => {
    const out = join(work, `report-${from.split("/").at(-1)}`);
    const run = spawnSync(process.execPath, [CLI, "report", "--from", from, "--out", out], { cwd: ROOT, encoding: "utf8" });
    assert.is(run.status, 0, run.stderr);
    return JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
  };
  const [q, l] = [report(queued), report(join(work, "local"))];
  assert.equal([q.questions, q.manual, q.similarity, q.class.statuses, q.class.score], [l.questions, l.manual, l.similarity, l.class.statuses, l.class.score]);
  assert.equal(q.class.time.byWorker.map((w) => w.worker), ["w2-0", "w2-1"].filter((w) => q.class.time.byWorker.some((x) => x.worker === w)));
  assert.is(q.class.time.byWorker.reduce((a, w) => a + w.count, 0), STUDENTS.length);
  assert.equal(l.class.time.byWorker, [], "a local batch has no workers");
  // complete-2 and partly-right-2 are copies of complete and partly-right: the same answers, to the character
  const code = q.similarity.filter((p) => p.kind === "code").map((p) => [...p.students].sort().join(" "));
  for (const pair of ["complete complete-2", "partly-right partly-right-2"]) assert.ok(code.includes(pair), `${pair} in ${code.join("; ")}`);
}

test("a worker whose tests differ refuses, says what differs and stops; a rerun with --resume grades what it refused", async () => {
  await flush();
  const other = join(work, "other-solutions");
  cpSync(join(ROOT, "solutions"), other, { recursive: true });
  const file = join(other, "llm-architecture/llm-architecture.ipynb");
  const nb = JSON.parse(readFileSync(file, "utf8"));
  nb.cells[0].source.push("\n(edited)");
  writeFileSync(file, JSON.stringify(nb, null, 1));
  const out = join(work, "refused");
  const bad = worker("bad", ["--solutions", other]);
  const coordinator = grade(out);
  assert.is(await bad.exit, 3, "the refusing worker exits with 3");
  assert.match(bad.output(), /will not grade with other tests: tests: the source notebook differs/);
  const good = worker("good");
  assert.is(await coordinator.exit, 3, "the coordinator says a submission was not graded");
  assert.match(coordinator.output(), /not graded: worker bad will not grade with other tests/);
  assert.is(readdirSync(join(out, "students")).length, STUDENTS.length - 1, "the refused one has no document");
  const rerun = grade(out, ["--resume"]);
  assert.is(await rerun.exit, 0, rerun.output());
  await stop(good);
  assert.equal(documents(out), local);
});

test("a restarted coordinator picks up the results finished meanwhile; the same batch again grades nothing twice", async () => {
  await flush();
  const out = join(work, "restart");
  const first = grade(out);
  const jobs = async () => {
    const scan = start("redis-cli", ["-u", url, "--scan", "--pattern", "bull:courseware-grading:grade-*"]);
    await scan.exit;
    return scan.output().trim().split("\n").filter(Boolean).length;
  };
  const end = Date.now() + 60_000;
  while ((await jobs()) < STUDENTS.length) {
    if (Date.now() > end) throw new Error(`the coordinator did not enqueue its jobs:\n${first.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  first.child.kill("SIGKILL");
  await first.exit;
  const w = worker("solo");
  await until("the worker to grade every job", () => gradedBy(w).length >= STUDENTS.length, 120_000);
  const second = grade(out);
  assert.is(await second.exit, 0, second.output());
  const third = grade(join(work, "restart-again"));
  assert.is(await third.exit, 0, third.output());
  await stop(w);
  assert.equal(gradedBy(w).sort(), [...STUDENTS].sort(), "each submission graded once, for all three coordinators");
  assert.equal(documents(out), local);
  assert.equal(documents(join(work, "restart-again")), local);
});

test("a submission that kills every worker it meets ends as an error after ATTEMPTS workers; the others are graded", async () => {
  await flush();
  const out = join(work, "poison");
  const poison = "partly-right-2";
  const coordinator = grade(out);
  // whatever the notebook does to a worker, the queue sees the same: the worker stops renewing its lock. Here each
  // worker is killed (SIGKILL) as it starts on the poisonous submission, and a new one takes its place
  let kills = 0;
  const graded = new Set<string>();
  while (coordinator.child.exitCode === null) {
    const w = worker(`w${kills}`);
    await until("the worker to take the poisonous submission, or the batch to end", () => gradedBy(w).includes(poison) || coordinator.child.exitCode !== null, 120_000);
    gradedBy(w).filter((s) => s !== poison).forEach((s) => graded.add(s));
    if (gradedBy(w).includes(poison)) {
      w.child.kill("SIGKILL");
      kills++;
    }
    await stop(w);
    assert.ok(kills <= ATTEMPTS, `the job was tried more than ${ATTEMPTS} times`);
  }
  assert.is(await coordinator.exit, 0, coordinator.output());
  assert.is(kills, ATTEMPTS, "tried once per attempt, then given up");
  const doc = JSON.parse(readFileSync(join(out, "students", `${poison}.json`), "utf8"));
  assert.is(doc.status, "error");
  assert.is(doc.score, 0);
  assert.match(doc.messages.join("\n"), /could not be graded: grading it stopped the grader on every attempt/);
  assert.match(doc.staffNotes.join("\n"), new RegExp(`failed on all ${ATTEMPTS} attempts: .*stalled`));
  const { [`${poison}.json`]: _, ...others } = documents(out);
  const { [`${poison}.json`]: __, ...localOthers } = local;
  assert.equal(others, localOthers, "the other submissions are graded as in a local batch");
});

for (const persistence of [true, false]) {
  test(`Redis restarted mid-batch ${persistence ? "with its data (append-only file)" : "without its data"}: the batch ends with a local batch's documents`, async () => {
    const port = await freePort();
    const data = mkdtempSync(join(work, "redis-data-"));
    const options = persistence ? ["--dir", data, "--appendonly", "yes", "--appendfsync", "always", "--save", ""] : ["--dir", data, "--appendonly", "no", "--save", ""];
    let server = await redisServer(port, ...options);
    const own = `redis://127.0.0.1:${port}`;
    const workers = ["a", "b"].map((n) => start("node", [CLI, "worker", "--queue", own, "--jobs", "1", "--name", n]));
    const out = join(work, `redis-restart-${persistence}`);
    const coordinator = start("node", [CLI, "grade", subs, "--out", out, "--queue", own]);
    await until("a first submission graded", () => workers.flatMap(gradedBy).length >= 2, 120_000);
    server.child.kill("SIGKILL");
    await server.exit;
    await new Promise((r) => setTimeout(r, 1500));
    server = await redisServer(port, ...options);
    try {
      assert.is(await coordinator.exit, 0, coordinator.output());
      assert.match(coordinator.output(), /Lost the connection to Redis/);
      if (!persistence) assert.match(coordinator.output(), /Redis came back without \d+ of the \d+ jobs this batch waits for/);
      assert.equal(documents(out), local);
    } finally {
      await stop(...workers);
      await stop(server);
    }
  });
}

test.run();
