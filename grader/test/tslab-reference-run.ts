// The reference for compile-server.test.ts: runs cells the way the tslab kernel does, with tslab's own converter
// and executor, unmodified, in one plain process (no sandbox, no compile server). Cells come as a JSON array on
// stdin; one JSON line per cell goes to stdout: { ok, outputs } with outputs recorded as the sandbox records them.
// Usage: node tslab-reference-run.js <folder to run in> < cells.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { format } from "node:util";
import type { CellOutput } from "../src/grade/protocol.js";

const dir = process.argv[2]!;
process.chdir(dir);
const cells = JSON.parse(readFileSync(0, "utf8")) as string[];
const requireHere = createRequire(join(dir, "notebook.js"));
const { createConverter } = requireHere("tslab/dist/converter") as { createConverter(o: object): { close(): void } };
const { createExecutor } = requireHere("tslab/dist/executor") as {
  createExecutor(dir: string, convs: object, console: object): { execute(src: string): Promise<boolean> };
};
let outputs: CellOutput[] = [];
(requireHere("tslab/dist/jupyter") as { lastWriteDisplayData: unknown }).lastWriteDisplayData = () => outputs.push({ display: true });
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((b: unknown) => (outputs.push({ stream: "stdout", text: String(b) }), true)) as typeof process.stdout.write;
process.stderr.write = ((b: unknown) => (outputs.push({ stream: "stderr", text: String(b) }), true)) as typeof process.stderr.write;
process.on("uncaughtException", (e) => outputs.push({ error: String((e as Error)?.stack ?? e) }));
process.on("unhandledRejection", (r) => outputs.push({ error: String((r as Error)?.stack ?? r) }));
const converter = createConverter({ isJS: false, isBrowser: false });
const executor = createExecutor(dir, { node: converter, browser: null, close: () => converter.close() }, {
  log: (...a: unknown[]) => outputs.push({ stream: "stdout", text: format(...a) + "\n" }),
  error: (...a: unknown[]) => outputs.push({ error: a[0] instanceof Error ? String(a[0].stack ?? a[0]) : format(...a) }),
});
for (const source of cells) {
  outputs = [];
  let ok: boolean;
  try {
    ok = await executor.execute(source);
  } catch (e) {
    ok = false;
    outputs.push({ error: String(e) });
  }
  write(JSON.stringify({ ok, outputs }) + "\n");
}
converter.close();
process.exit(0);
