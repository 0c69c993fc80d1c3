// The sandboxed side of grading: one process per submission, started by sandbox.ts under Node's permission
// model. It runs the code cells it is sent with tslab's own converter and executor (the kernel's semantics) and
// answers value requests. It is loaded before any student code, so it keeps its own copies of what it uses.
import { readSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { format } from "node:util";
import { type CellOutput, type ChildMessage, type ParentMessage, RESULT_FD } from "./protocol.js";
import { encodeValue } from "./values.js";

const stringify = JSON.stringify;
const parse = JSON.parse;
const OUTPUT_CAP = Number(process.env["COURSEWARE_CELL_OUTPUT_CAP"] ?? 65536);

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}
const send = (msg: ChildMessage): void => writeAll(RESULT_FD, stringify(msg) + "\n");

let pending = Buffer.alloc(0);
const chunk = Buffer.alloc(1 << 16);
/** Blocking read of one message, so that async errors between cells land in the cell that caused them. */
function receive(): ParentMessage | null {
  for (;;) {
    const nl = pending.indexOf(10);
    if (nl >= 0) {
      const line = pending.subarray(0, nl).toString();
      pending = pending.subarray(nl + 1);
      return parse(line) as ParentMessage;
    }
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      return null;
    }
    if (n === 0) return null;
    pending = Buffer.concat([pending, chunk.subarray(0, n)]);
  }
}

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
process.on("uncaughtException", (e) => record({ error: String((e as Error)?.stack ?? e) }));
process.on("unhandledRejection", (r) => record({ error: String((r as Error)?.stack ?? r) }));

interface Executor {
  execute(src: string): Promise<boolean>;
  interrupt(): void;
  locals: Record<string, unknown>;
  close(): void;
}
interface Converter {
  close(): void;
}

const workDir = process.cwd();
// Resolve tslab from the notebook's folder upwards, as the kernel does.
const requireHere = createRequire(join(workDir, "notebook.js"));
const { createConverter } = requireHere("tslab/dist/converter") as { createConverter(o: object): Converter };
const { createExecutor } = requireHere("tslab/dist/executor") as {
  createExecutor(dir: string, convs: object, console: object): Executor;
};
const jupyter = requireHere("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
jupyter.lastWriteDisplayData = () => record({ display: true });

// TypeScript watches the folders where it looked for packages, up to the closest existing ancestor. Under the
// permission model a watch on an unreadable ancestor throws (e.g. a course kept in /tmp/x/course), and nothing on
// disk changes while a submission is graded, so the sandbox watches nothing.
const ts = createRequire(requireHere.resolve("tslab/package.json"))("@tslab/typescript-for-tslab") as {
  sys: { watchFile?: unknown; watchDirectory?: unknown };
};
const noWatch = () => ({ close: () => undefined });
ts.sys.watchFile = noWatch;
ts.sys.watchDirectory = noWatch;

let nodeConverter: Converter | null = null;
const converters = {
  get node(): Converter {
    return (nodeConverter ??= createConverter({ isJS: false, isBrowser: false }));
  },
  get browser(): Converter {
    throw new Error("browser cells are not supported by the grader");
  },
  close(): void {
    nodeConverter?.close();
  },
};
const cellConsole = {
  log: (...a: unknown[]) => record({ stream: "stdout", text: format(...a) + "\n" }),
  error: (...a: unknown[]) => record({ error: a[0] instanceof Error ? String(a[0].stack ?? a[0]) : format(...a) }),
};

void converters.node; // compile start-up (~1 s) happens before the first cell's clock starts
const executor = createExecutor(workDir, converters, cellConsole);
process.on("SIGINT", () => executor.interrupt());
send({ type: "ready" });

async function main(): Promise<void> {
  for (let msg = receive(); msg !== null && msg.type !== "end"; msg = receive()) {
    if (msg.type === "cell") {
      outputs = [];
      outputBytes = 0;
      truncated = false;
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
