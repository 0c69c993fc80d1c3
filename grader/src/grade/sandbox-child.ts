// The sandboxed side of grading: one process per submission, started by sandbox.ts under Node's permission
// model. It runs the code cells it is sent with tslab's own executor (the kernel's semantics), on the JavaScript
// the grader's compile server made from them, and answers value requests. TypeScript is never loaded here. It is
// loaded before any student code, so it keeps its own copies of what it uses.
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { format } from "node:util";
import type { CompiledCell } from "./compile/protocol.js";
import { lineReader, writeAll } from "./line-channel.js";
import { type CellOutput, type ChildMessage, type ParentMessage, RESULT_FD } from "./protocol.js";
import { encodeValue } from "./values.js";

const stringify = JSON.stringify;
const OUTPUT_CAP = Number(process.env["COURSEWARE_CELL_OUTPUT_CAP"] ?? 65536);

const send = (msg: ChildMessage): void => writeAll(RESULT_FD, stringify(msg) + "\n");
/** Blocking read of one message, so that async errors between cells land in the cell that caused them. */
const receive = lineReader<ParentMessage>(0, JSON.parse);

let outputs: CellOutput[] = [];
let outputBytes = 0;
let truncated = false;
function record(o: CellOutput): void {
  const size = (o.text ?? o.error ?? "").length;
  if (outputBytes + size > OUTPUT_CAP) {
    truncated = true;
    return;
  }
  outputBytes += size;
  outputs.push(o);
}

process.stdout.write = ((b: unknown) => (record({ stream: "stdout", text: String(b) }), true)) as typeof process.stdout.write;
process.stderr.write = ((b: unknown) => (record({ stream: "stderr", text: String(b) }), true)) as typeof process.stderr.write;

interface Executor {
  execute(src: string): Promise<boolean>;
  interrupt(): void;
  locals: Record<string, unknown>;
  close(): void;
}

const workDir = process.cwd();
// Resolve tslab from the notebook's folder upwards, as the kernel does.
const requireHere = createRequire(join(workDir, "notebook.js"));
const tslabDir = dirname(requireHere.resolve("tslab/package.json"));
const requireTslab = createRequire(join(tslabDir, "package.json"));

// tslab's executor reaches TypeScript through its metadata, jupyter and public modules. Stand-ins in the module
// cache (registered before the executor loads) give it what the compile server computed instead.
let compiled: CompiledCell | null = null;
let compiledPrevDecl = "";
function stub(file: string, exports: object): void {
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = exports;
  requireTslab.cache[file] = m;
}
stub(requireTslab.resolve("@tslab/typescript-for-tslab"), { version: (requireTslab("@tslab/typescript-for-tslab/package.json") as { version: string }).version });
stub(join(tslabDir, "dist/metadata.js"), { getCodeMetadata: () => compiled?.meta ?? {} });
// lib's display helpers find this module in the cache and send figures through it, as in the kernel; the figures
// themselves are not kept (only that one was shown), which lets show() skip drawing charts (lib's display/chart.ts)
stub(join(tslabDir, "dist/jupyter.js"), { __esModule: true, lastWriteDisplayData: () => record({ display: true }), discardsDisplayData: true });
const { createExecutor } = requireTslab("./dist/executor") as {
  createExecutor(dir: string, convs: object, console: object): Executor;
};

function current(prevDecl: string): CompiledCell {
  if (!compiled || prevDecl !== compiledPrevDecl) throw new Error("internal grader error: the cell was compiled against other declarations");
  if (compiled.error !== undefined) throw new Error(compiled.error);
  return compiled;
}
const converters = {
  node: {
    convert: (prevDecl: string) => current(prevDecl).converted,
    addModule: () => current(compiledPrevDecl).moduleDiagnostics ?? [],
  },
  get browser(): never {
    throw new Error("browser cells are not supported by the grader");
  },
  close: () => undefined,
};
const cellConsole = {
  log: (...a: unknown[]) => record({ stream: "stdout", text: format(...a) + "\n" }),
  error: (...a: unknown[]) => record({ error: a[0] instanceof Error ? String(a[0].stack ?? a[0]) : format(...a) }),
};

const executor = createExecutor(workDir, converters, cellConsole);
process.on("SIGINT", () => executor.interrupt());
// From here on a cell's late errors are its own outputs; an error before (tslab or a package missing) ends the
// process with the error on stderr, where the grader reads why the sandbox could not start.
process.on("uncaughtException", (e) => record({ error: String((e as Error)?.stack ?? e) }));
process.on("unhandledRejection", (r) => record({ error: String((r as Error)?.stack ?? r) }));
send({ type: "ready" });

async function main(): Promise<void> {
  for (let msg = receive(); msg !== null && msg.type !== "end"; msg = receive()) {
    if (msg.type === "cell") {
      outputs = [];
      outputBytes = 0;
      truncated = false;
      compiled = msg.compiled;
      compiledPrevDecl = msg.prevDecl;
      let ok: boolean;
      try {
        ok = await executor.execute(msg.source);
      } catch (e) {
        ok = false;
        record({ error: String(e) });
      }
      send({ type: "cell", id: msg.id, ok, outputs, truncated });
    } else if (msg.type === "values") {
      const values: Record<string, ReturnType<typeof encodeValue> | { missing: true }> = {};
      for (const name of msg.names) {
        const value = executor.locals[name];
        values[name] = value === undefined ? { missing: true } : encodeValue(value);
      }
      send({ type: "values", id: msg.id, values });
    }
  }
  executor.close();
  process.exit(0);
}
void main();
