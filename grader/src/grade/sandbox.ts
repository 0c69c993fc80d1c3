// Runs one submission's cells in a child process under Node's permission model: it may read only the packages,
// the model cache and its own empty folder, write nowhere, start no processes or workers. Verdicts never come
// from it: the parent asks for values by random id and takes the first reply to each id.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { realpathSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type CellOutput, type ChildMessage, type ParentMessage, RESULT_FD } from "./protocol.js";
import type { EncodedValue } from "./values.js";

export interface SandboxLimits {
  /** Wall-clock limit for one cell; the cell is interrupted, then the process killed. */
  cellTimeoutMs: number;
  /** Wall-clock limit for the whole notebook, start-up included. */
  totalTimeoutMs: number;
  /** V8 heap limit of the sandbox process. */
  maxHeapMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { cellTimeoutMs: 30_000, totalTimeoutMs: 120_000, maxHeapMb: 1024 };

export interface SandboxOptions {
  /** Empty folder for this submission, inside the project so that packages resolve from it. */
  workDir: string;
  /** Folders and files the notebook may read (packages, model cache). */
  readable: string[];
  env: Record<string, string>;
  limits: SandboxLimits;
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
}

const CHILD_SCRIPT = fileURLToPath(new URL("./sandbox-child.js", import.meta.url));
const INTERRUPT_GRACE_MS = 2000;

function permissionFlags(readable: string[]): string[] {
  const paths = new Set<string>();
  for (const p of [CHILD_SCRIPT, ...readable]) {
    paths.add(p);
    try {
      paths.add(realpathSync(p)); // workspace packages are symlinks: allow their targets too
    } catch {
      /* a path that does not exist needs no permission */
    }
  }
  return [
    "--experimental-permission",
    "--allow-addons", // onnxruntime-node is a native addon
    ...[...paths].map((p) => `--allow-fs-read=${p}`),
    "--disable-warning=ExperimentalWarning",
  ];
}

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

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

function describeExit(child: ChildProcess): string {
  if (child.signalCode === "SIGABRT" || child.signalCode === "SIGTRAP") return "the notebook ran out of memory";
  if (child.signalCode) return `the notebook process was killed by ${child.signalCode}`;
  return `the notebook process exited with code ${child.exitCode} (did it call process.exit?)`;
}

export async function runInSandbox(cells: string[], answerNames: string[], opts: SandboxOptions): Promise<SandboxRun> {
  const { limits } = opts;
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${limits.maxHeapMb}`, ...permissionFlags([opts.workDir, ...opts.readable]), CHILD_SCRIPT],
    { cwd: opts.workDir, env: opts.env, detached: true, stdio: ["pipe", "pipe", "pipe", "pipe"] },
  );
  child.stdin?.on("error", () => undefined); // the child may exit before reading everything
  let diagnostics = "";
  const keep = (b: Buffer) => {
    diagnostics = (diagnostics + b.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((r) => child.on("exit", () => r()));

  const channel = new Channel(child);
  const deadline = Date.now() + limits.totalTimeoutMs;
  const left = () => deadline - Date.now();
  const run: SandboxRun = { outcome: "completed", detail: null, cells: [], values: null, layers: ["node-permission-model"] };
  const fail = (outcome: "timeout" | "crashed", detail: string) => {
    run.outcome = outcome;
    run.detail = detail;
  };

  try {
    const ready = await channel.wait(null, left());
    if (ready === "timeout") return fail("timeout", `the notebook did not start within ${limits.totalTimeoutMs / 1000} s`), run;
    if (ready === "exit") return fail("crashed", `the notebook process failed to start: ${diagnostics.trim() || describeExit(child)}`), run;

    for (const [i, source] of cells.entries()) {
      const id = randomUUID();
      channel.send({ type: "cell", id, source });
      const budget = Math.min(limits.cellTimeoutMs, left());
      let reply = await channel.wait(id, budget);
      let timedOut = false;
      if (reply === "timeout") {
        timedOut = true;
        child.kill("SIGINT"); // tslab breaks synchronous loops on SIGINT, like the kernel's interrupt button
        reply = await channel.wait(id, INTERRUPT_GRACE_MS);
      }
      if (reply === "timeout") {
        const total = left() <= 0;
        return fail("timeout", total
          ? `the notebook exceeded the ${limits.totalTimeoutMs / 1000} s limit in code cell ${i + 1}`
          : `code cell ${i + 1} exceeded the ${limits.cellTimeoutMs / 1000} s limit and could not be interrupted`), run;
      }
      if (reply === "exit") {
        await exited;
        return fail("crashed", `${describeExit(child)} in code cell ${i + 1}`), run;
      }
      if (reply.type !== "cell") continue;
      run.cells.push({ ok: reply.ok, outputs: reply.outputs, truncated: reply.truncated, timedOut });
    }

    const id = randomUUID();
    channel.send({ type: "values", id, names: answerNames });
    const reply = await channel.wait(id, Math.min(limits.cellTimeoutMs, left()));
    if (reply === "timeout") return fail("timeout", "the notebook did not hand over its answers in time"), run;
    if (reply === "exit") return fail("crashed", `${describeExit(child)} while handing over its answers`), run;
    if (reply.type === "values") run.values = reply.values;
    channel.send({ type: "end" });
    return run;
  } finally {
    // a well-behaved child exits after "end"; anything still running (timers, a stuck cell) is killed
    await Promise.race([exited, new Promise((r) => setTimeout(r, 500))]);
    killGroup(child);
  }
}
