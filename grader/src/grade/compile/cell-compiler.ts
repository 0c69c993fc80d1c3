// The grader's side of the compile server: starts it (isolated like a sandbox), sends it cells, and keeps a cache
// of compiled cells. The cells every submission shares (all but the answers) are compiled once per batch: a cell's
// JavaScript depends only on its source and the declarations before it. A cell that takes too long to compile
// (a type-checking bomb) stops the server; it is restarted for the other submissions.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chownSync, mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { isolatedCommand, killGroup } from "../isolate.js";
import { COMPILE_REPLY_FD, type CompileReply, type CompileRequest, type CompiledCell, nextPrevDecl } from "./protocol.js";

export interface CellCompilerOptions {
  /** Parent of the compile server's own (empty) folder: the folder the sandboxes' folders are made in. */
  workRoot: string;
  readable: string[];
  env: Record<string, string>;
  /** How long one cell may take to compile. */
  timeoutMs: number;
  maxHeapMb: number;
  osLayer?: boolean;
}

/** Why a cell could not be compiled in time, in words for the feedback ("took more than 20 s"). */
export type CompileOutcome = CompiledCell | { timeout: string };

interface Pending {
  id: number;
  request: Extract<CompileRequest, { type: "compile" }>;
  resolve: (outcome: CompileOutcome) => void;
  /** Sent again once after a server restart that another cell caused. */
  retried: boolean;
}

const CACHE_BYTES = 64 * 1024 * 1024;
const moduleCell = (source: string) => source.includes("@module");

export class CellCompiler {
  private server: ChildProcess | null = null;
  private ready = false;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private epoch = 0;
  private cache = new Map<string, { cell: CompiledCell; bytes: number }>();
  private inflight = new Map<string, Promise<CompileOutcome>>();
  private cacheBytes = 0;
  private sessions = 0;
  private closed = false;
  readonly dir: string;

  constructor(private opts: CellCompilerOptions) {
    this.dir = join(opts.workRoot, `compile-${process.pid}-${randomBytes(4).toString("hex")}`);
  }

  /** A compile session for one run of a notebook whose cells run in `runDir`. */
  session(runDir: string): CompileSession {
    return new CompileSession(this, `s${++this.sessions}`, runDir);
  }

  /** Compiles through the cache where that is sound. */
  async compile(session: CompileSession, prevDecl: string, source: string): Promise<CompileOutcome> {
    const cacheable = session.cacheable && !moduleCell(source);
    const key = cacheable ? createHash("sha256").update(prevDecl).update("\0").update(source).digest("hex") : "";
    if (cacheable) {
      const hit = this.cache.get(key)?.cell ?? (await this.inflight.get(key));
      if (hit && !("timeout" in hit)) return hit;
    }
    if (session.epoch !== this.epoch) {
      // the server was restarted: give the new one the module cells this session had added
      session.epoch = this.epoch;
      for (const m of session.modules) await this.request(session.id, m.prevDecl, m.source);
    }
    const request = this.request(session.id, prevDecl, source);
    // another submission that needs the same cell meanwhile waits for this compile instead of asking again
    if (cacheable) this.inflight.set(key, request);
    const outcome = await request;
    if (cacheable) this.inflight.delete(key);
    if ("timeout" in outcome) return outcome;
    if (outcome.meta.module) {
      session.cacheable = false; // later cells may import the module: they depend on more than their source
      session.modules.push({ prevDecl, source });
    } else if (cacheable && outcome.error === undefined) {
      this.remember(key, outcome);
    }
    return outcome;
  }

  endSession(session: CompileSession): void {
    if (this.server && session.epoch === this.epoch) this.write({ type: "close", session: session.id });
  }

  /**
   * Compiles the cells every submission shares (the release notebook's) ahead of the first submission, assuming
   * each runs without error; resolves when done, whatever the outcome.
   */
  async warm(cells: string[]): Promise<void> {
    const session = this.session(this.dir);
    let prevDecl = "";
    for (const source of cells) {
      const outcome = await this.compile(session, prevDecl, source);
      if ("timeout" in outcome) break;
      prevDecl = nextPrevDecl(prevDecl, outcome, true);
    }
    session.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.server) killGroup(this.server);
    this.server = null;
    for (const p of this.queue.splice(0)) p.resolve({ timeout: "was cut short: the grader is shutting down" });
    await rm(this.dir, { recursive: true, force: true });
  }

  private remember(key: string, cell: CompiledCell): void {
    const bytes = JSON.stringify(cell).length;
    this.cache.set(key, { cell, bytes });
    this.cacheBytes += bytes;
    for (const [k, v] of this.cache) {
      if (this.cacheBytes <= CACHE_BYTES) break;
      this.cache.delete(k);
      this.cacheBytes -= v.bytes;
    }
  }

  private request(session: string, prevDecl: string, source: string): Promise<CompileOutcome> {
    if (this.closed) return Promise.resolve({ timeout: "was cut short: the grader is shutting down" });
    return new Promise((resolve) => {
      const pending: Pending = { id: this.nextId++, request: { type: "compile", id: 0, session, prevDecl, source }, resolve, retried: false };
      pending.request.id = pending.id;
      this.queue.push(pending);
      if (this.server) this.write(pending.request);
      else this.start();
      this.arm();
    });
  }

  private write(msg: CompileRequest): void {
    this.server?.stdin?.write(JSON.stringify(msg) + "\n");
  }

  /** The oldest request's clock runs once the server is ready: requests are answered in order. */
  private arm(): void {
    clearTimeout(this.timer);
    // an idle server does not keep the grader's process alive
    const busy = this.queue.length > 0;
    if (this.server) {
      for (const s of [this.server, ...this.server.stdio]) (s as { ref?(): void; unref?(): void } | null)?.[busy ? "ref" : "unref"]?.();
    }
    const head = this.queue[0];
    if (!head || !this.ready) return;
    this.timer = setTimeout(() => this.fail(head, `took more than ${this.opts.timeoutMs / 1000} s`), this.opts.timeoutMs);
  }

  private start(): void {
    mkdirSync(this.dir, { recursive: true });
    // its own user when the grader is root: the slot below the sandboxes' ones
    const { command, user } = isolatedCommand("./compile/compile-server.js", { readable: this.opts.readable, workDir: this.dir, maxHeapMb: this.opts.maxHeapMb, osLayer: this.opts.osLayer, slot: -1 });
    if (user) chownSync(this.dir, user.uid, user.gid);
    const server = spawn(command[0]!, command.slice(1), { cwd: this.dir, env: this.opts.env, detached: true, stdio: ["pipe", "ignore", "pipe", "pipe"], ...user });
    this.server = server;
    this.ready = false;
    this.epoch++;
    let diagnostics = "";
    server.stderr?.on("data", (b: Buffer) => (diagnostics = (diagnostics + b.toString()).slice(-2000)));
    server.stdin?.on("error", () => undefined);
    createInterface({ input: server.stdio[COMPILE_REPLY_FD] as NodeJS.ReadableStream, crlfDelay: Infinity }).on("line", (line) => {
      if (this.server !== server) return;
      const reply = JSON.parse(line) as CompileReply;
      if (reply.type === "ready") this.ready = true;
      else if (this.queue[0]?.id === reply.id) this.queue.shift()!.resolve(reply.cell);
      this.arm();
    });
    server.on("exit", () => {
      if (this.server !== server) return;
      this.server = null;
      const head = this.queue[0];
      if (head) this.fail(head, `stopped the compiler (${diagnostics.trim().split("\n").at(-1) || "it ran out of memory"})`);
    });
    for (const p of this.queue) this.write(p.request);
  }

  /** Gives up on `head` and restarts the server for the requests behind it (each retried once). */
  private fail(head: Pending, why: string): void {
    clearTimeout(this.timer);
    if (this.server) {
      const old = this.server;
      this.server = null;
      killGroup(old);
    }
    this.queue = this.queue.filter((p) => p !== head);
    head.resolve({ timeout: why });
    const [again, lost] = [this.queue.filter((p) => !p.retried), this.queue.filter((p) => p.retried)];
    for (const p of lost) p.resolve({ timeout: "failed twice because the compiler was restarted" });
    this.queue = again;
    for (const p of again) p.retried = true;
    if (again.length && !this.closed) this.start();
  }
}

export class CompileSession {
  cacheable = true;
  epoch = 0;
  readonly modules: { prevDecl: string; source: string }[] = [];
  constructor(
    private compiler: CellCompiler,
    readonly id: string,
    private runDir: string,
  ) {}

  /** Compiles `source` against `prevDecl`; files it emits for local modules are placed in the run's folder. */
  async compile(prevDecl: string, source: string): Promise<CompileOutcome> {
    const outcome = await this.compiler.compile(this, prevDecl, source);
    if ("timeout" in outcome || !outcome.converted?.sideOutputs) return outcome;
    const { converted } = outcome;
    const moved = converted.sideOutputs!.map((o) => ({ ...o, path: o.path.startsWith(this.compiler.dir + "/") ? this.runDir + o.path.slice(this.compiler.dir.length) : o.path }));
    return { ...outcome, converted: { ...converted, sideOutputs: moved } };
  }

  close(): void {
    this.compiler.endSession(this);
  }
}
