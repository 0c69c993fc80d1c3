// Runs one submission's cells in an isolated child process (isolate.ts): it may read only the packages, the model
// cache and its own empty folder. Each cell is compiled by the grader's compile server first, so the child only
// runs JavaScript, with tslab's executor. Verdicts never come from it: the parent asks for values by random id and
// takes the first reply to each id.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { chown } from "node:fs/promises";
import { constants } from "node:os";
import { createInterface } from "node:readline";
import type { CompileSession } from "./compile/cell-compiler.js";
import { nextPrevDecl } from "./compile/protocol.js";
import { isolatedCommand, killGroup, signalGroup } from "./isolate.js";
import { type CellOutput, type ChildMessage, type ParentMessage, RESULT_FD } from "./protocol.js";
import type { EncodedValue } from "./values.js";

export interface SandboxLimits {
  /** Wall-clock limit for one cell; the cell is interrupted, then the process killed. */
  cellTimeoutMs: number;
  /** Wall-clock limit for the whole notebook, start-up included. */
  totalTimeoutMs: number;
  /** V8 heap limit of the sandbox process. */
  maxHeapMb: number;
  /** Resident memory of the whole sandbox (buffers and native memory included); it is killed above this. */
  maxRssMb: number;
  /** How long the compile server may take over one cell (compiling is not counted in the cell's time). */
  compileTimeoutMs: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { cellTimeoutMs: 30_000, totalTimeoutMs: 120_000, maxHeapMb: 1024, maxRssMb: 2048, compileTimeoutMs: 20_000 };

const PAGE = 4096;
/** Resident bytes of the processes in a process group, from /proc (Linux). */
export function groupRss(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // after the command name: state(0) ppid(1) pgrp(2) ... rss(21)
      if (Number(fields[2]) === pgid) total += Number(fields[21]) * PAGE;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return total;
}

export interface SandboxOptions {
  /** Empty folder for this submission, inside the project so that packages resolve from it. */
  workDir: string;
  /** Compiles the cells; one session per run. */
  compiler: CompileSession;
  /** Which of the batch's concurrent slots runs it: its user, when the grader is root (isolate.ts slotUser). */
  slot?: number;
  /** Add bubblewrap when it works on this machine (default true). */
  osLayer?: boolean;
  /** Folders and files the notebook may read (packages, model cache). */
  readable: string[];
  env: Record<string, string>;
  limits: SandboxLimits;
  /** How `detail` names each cell (default "code cell <n>"): as the student's notebook has it. */
  labels?: string[];
}

export interface CellRun {
  ok: boolean;
  outputs: CellOutput[];
  truncated: boolean;
  timedOut: boolean;
}

export interface SandboxRun {
  outcome: "completed" | "timeout" | "crashed";
  /** What went wrong, in words for the feedback, when the outcome is not "completed". */
  detail: string | null;
  cells: CellRun[];
  values: Record<string, EncodedValue | { missing: true }> | null;
  /** Isolation layers that were active, reported in the score document. */
  layers: string[];
  /** The process never became ready: the grader's side failed (its `detail` is for the staff), not the notebook. */
  failedToStart: boolean;
}

const INTERRUPT_GRACE_MS = 2000;

type Waiter = (msg: ChildMessage | "timeout" | "exit") => void;

class Channel {
  private waiters = new Map<string, Waiter>();
  private exited = false;
  readyWaiter: Waiter | null = null;
  constructor(private child: ChildProcess) {
    const results = child.stdio[RESULT_FD] as NodeJS.ReadableStream;
    createInterface({ input: results, crlfDelay: Infinity }).on("line", (line) => this.onLine(line));
    child.on("exit", () => {
      this.exited = true;
      for (const w of [...this.waiters.values(), this.readyWaiter]) w?.("exit");
      this.waiters.clear();
    });
  }
  private onLine(line: string): void {
    let msg: ChildMessage;
    try {
      msg = JSON.parse(line) as ChildMessage;
    } catch {
      return; // not ours: student code can write to this fd too
    }
    if (msg.type === "ready") {
      this.readyWaiter?.(msg);
      this.readyWaiter = null;
      return;
    }
    const waiter = this.waiters.get((msg as { id?: string }).id ?? "");
    if (waiter && msg.type !== undefined) {
      this.waiters.delete((msg as { id: string }).id); // first reply per id wins
      waiter(msg);
    }
  }
  send(msg: ParentMessage): void {
    if (!this.exited) this.child.stdin?.write(JSON.stringify(msg) + "\n");
  }
  wait(id: string | null, ms: number): Promise<ChildMessage | "timeout" | "exit"> {
    if (this.exited) return Promise.resolve("exit");
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (id === null) this.readyWaiter = null;
        else this.waiters.delete(id);
        resolve("timeout");
      }, Math.max(0, ms));
      const done: Waiter = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      if (id === null) this.readyWaiter = done;
      else this.waiters.set(id, done);
    });
  }
}

const signalName = (n: number) => Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`;

function describeExit(child: ChildProcess, overMemory = false): string {
  if (overMemory) return "the notebook used more memory than allowed and was stopped";
  // under bubblewrap the notebook's death by a signal arrives as bwrap's exit code 128 + signal
  const signal = child.signalCode ?? (child.exitCode !== null && child.exitCode > 128 ? signalName(child.exitCode - 128) : null);
  if (signal === "SIGABRT" || signal === "SIGTRAP") return "the notebook ran out of memory";
  if (signal) return `the notebook process was killed by ${signal}`;
  return `the notebook process exited with code ${child.exitCode} (did it call process.exit?)`;
}

export async function runInSandbox(cells: string[], answerNames: string[], opts: SandboxOptions): Promise<SandboxRun> {
  const { limits } = opts;
  const label = (i: number) => opts.labels?.[i] ?? `code cell ${i + 1}`;
  const { command, layers, user } = isolatedCommand("./sandbox-child.js", { readable: opts.readable, workDir: opts.workDir, maxHeapMb: limits.maxHeapMb, osLayer: opts.osLayer, slot: opts.slot ?? 0 });
  if (user) await chown(opts.workDir, user.uid, user.gid);
  // sandboxes run one per core: each onnxruntime session gets one thread (lib's onnx/sibling-session.ts), unless told otherwise
  const env = { COURSEWARE_ORT_THREADS: "1", ...opts.env };
  const child = spawn(command[0]!, command.slice(1), { cwd: opts.workDir, env, detached: true, stdio: ["pipe", "pipe", "pipe", "pipe"], ...user });
  child.stdin?.on("error", () => undefined); // the child may exit before reading everything
  let diagnostics = "";
  const keep = (b: Buffer) => {
    diagnostics = (diagnostics + b.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  let overMemory = false;
  const watchdog = setInterval(() => {
    if (child.pid !== undefined && groupRss(child.pid) > limits.maxRssMb * 1024 * 1024) {
      overMemory = true;
      killGroup(child);
    }
  }, 200);

  const channel = new Channel(child);
  const deadline = Date.now() + limits.totalTimeoutMs;
  const left = () => deadline - Date.now();
  const run: SandboxRun = { outcome: "completed", detail: null, cells: [], values: null, layers, failedToStart: false };
  const fail = (outcome: "timeout" | "crashed", detail: string) => {
    run.outcome = outcome;
    run.detail = detail;
  };

  // Cell i+1 is compiled while cell i runs, against the declarations cell i leaves if it succeeds (as most do).
  const compileAhead = (i: number, prevDecl: string) => (i < cells.length ? { prevDecl, outcome: opts.compiler.compile(prevDecl, cells[i]!) } : null);
  let ahead = compileAhead(0, "");
  try {
    const ready = await channel.wait(null, left());
    run.failedToStart = ready === "timeout" || ready === "exit";
    if (ready === "timeout") return fail("timeout", `the notebook did not start within ${limits.totalTimeoutMs / 1000} s`), run;
    if (ready === "exit") return fail("crashed", `the notebook process failed to start: ${diagnostics.trim() || describeExit(child, overMemory)}`), run;

    let prevDecl = "";
    for (const [i, source] of cells.entries()) {
      if (ahead?.prevDecl !== prevDecl) ahead = compileAhead(i, prevDecl); // the guess was wrong: cell i-1 failed
      const compiled = await ahead!.outcome;
      if ("timeout" in compiled) return fail("timeout", `compiling ${label(i)} ${compiled.timeout}`), run;
      const id = randomUUID();
      channel.send({ type: "cell", id, source, prevDecl, compiled });
      ahead = compileAhead(i + 1, nextPrevDecl(prevDecl, compiled, true));
      const budget = Math.min(limits.cellTimeoutMs, left());
      let reply = await channel.wait(id, budget);
      let timedOut = false;
      if (reply === "timeout") {
        timedOut = true;
        signalGroup(child, "SIGINT"); // tslab breaks synchronous loops on SIGINT, like the kernel's interrupt button
        reply = await channel.wait(id, INTERRUPT_GRACE_MS);
      }
      if (reply === "timeout") {
        const total = left() <= 0;
        return fail("timeout", total
          ? `the notebook exceeded the ${limits.totalTimeoutMs / 1000} s limit in ${label(i)}`
          : `${label(i)} exceeded the ${limits.cellTimeoutMs / 1000} s limit and could not be interrupted`), run;
      }
      if (reply === "exit") {
        await exited;
        return fail("crashed", `${describeExit(child, overMemory)} in ${label(i)}`), run;
      }
      if (reply.type !== "cell") continue;
      prevDecl = nextPrevDecl(prevDecl, compiled, reply.ok);
      run.cells.push({ ok: reply.ok, outputs: reply.outputs, truncated: reply.truncated, timedOut });
    }

    const id = randomUUID();
    channel.send({ type: "values", id, names: answerNames });
    const reply = await channel.wait(id, Math.min(limits.cellTimeoutMs, left()));
    if (reply === "timeout") return fail("timeout", "the notebook did not hand over its answers in time"), run;
    if (reply === "exit") return fail("crashed", `${describeExit(child, overMemory)} while handing over its answers`), run;
    if (reply.type === "values") run.values = reply.values;
    channel.send({ type: "end" });
    return run;
  } finally {
    // a well-behaved child exits after "end"; anything still running (timers, a stuck cell) is killed
    await Promise.race([exited, new Promise((r) => setTimeout(r, 500))]);
    clearInterval(watchdog);
    killGroup(child);
  }
}
