// The values hidden tests compare with: each reference cell of the assignment runs once per batch, alone (no other
// cell of the notebook runs with it), in a fresh Node.js process (reference-child.ts), and declares
// `const reference = ...` from the same model the students use. Its value crosses back as data (values.ts) and
// reaches the hidden tests as the kernel had it: any JSON value, tensors, typed arrays, and arrays or objects of them.
// A cell that fails, or whose value cannot cross (a function, a class instance), stops the batch with a message
// that names the cell.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Assignment, AssignmentError, type ReferenceCell } from "../assignment/load-assignment.js";
import { decodeValue } from "./decode-value.js";
import type { EncodedValue } from "./values.js";

/** A reference cell loads a model and computes from it: minutes at most. */
export const REFERENCE_TIMEOUT_MS = 10 * 60_000;

const CHILD = fileURLToPath(new URL("./reference-child.js", import.meta.url));

/** Where in an encoded value something cannot cross ("reference.fn"), if anywhere. */
function unsupportedAt(e: EncodedValue, path: string): string | null {
  if (e.kind === "unsupported") return `${path} (${e.description})`;
  if (e.kind === "array") for (const [i, x] of e.items.entries()) { const at = unsupportedAt(x, `${path}[${i}]`); if (at) return at; }
  if (e.kind === "object") for (const [k, x] of Object.entries(e.entries)) { const at = unsupportedAt(x, `${path}.${k}`); if (at) return at; }
  return null;
}

/** What the reference process sends back on fd 3. */
interface Reply {
  value?: EncodedValue;
  missing?: true;
  error?: string;
}

function runCell(cell: ReferenceCell, label: string, timeoutMs: number): Promise<EncodedValue> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { stdio: ["pipe", "pipe", "pipe", "pipe"], env: process.env });
    let printed = "";
    const keep = (b: Buffer) => void (printed = (printed + b.toString()).slice(-2000));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    let reply: Reply | null = null;
    createInterface({ input: child.stdio[3] as NodeJS.ReadableStream }).on("line", (line) => {
      reply ??= JSON.parse(line) as Reply;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => reject(new AssignmentError(`${label} could not start: ${e.message}`)));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const r = reply as Reply | null;
      if (r?.error !== undefined) return reject(new AssignmentError(`${label} failed: ${r.error}`));
      if (r?.missing) return reject(new AssignmentError(`${label} declares no \`reference\`: write \`const reference = ...\`.`));
      if (r?.value !== undefined) return resolve(r.value);
      const how = signal === "SIGKILL" ? `did not finish within ${timeoutMs / 1000} s` : `ended (${signal ?? `exit code ${code}`}) without a value`;
      reject(new AssignmentError(`${label} ${how}${printed.trim() ? `; it printed: ${printed.trim().slice(-500)}` : ""}`));
    });
    child.stdin!.end(JSON.stringify({ source: cell.source, label }));
  });
}

/**
 * The `reference` that hidden tests read. One reference cell: its value, whatever it is. Several: each must be a
 * plain object, and they are merged (later cells win), since each runs alone and cannot see the others.
 */
export async function computeReference(assignment: Assignment, timeoutMs = REFERENCE_TIMEOUT_MS): Promise<unknown> {
  const values: unknown[] = [];
  for (const cell of assignment.referenceCells) {
    const label = `The reference cell (cell ${cell.cell} of ${assignment.sourcePath})`;
    const encoded = await runCell(cell, label, timeoutMs);
    const bad = unsupportedAt(encoded, "reference");
    if (bad) throw new AssignmentError(`${label} gives a value that cannot reach the tests: ${bad}. Use JSON values, tensors, typed arrays, and arrays or plain objects of them.`);
    values.push(decodeValue(encoded));
  }
  if (values.length <= 1) return values[0] ?? {};
  const notObject = assignment.referenceCells.find((_, i) => typeof values[i] !== "object" || values[i] === null || Array.isArray(values[i]));
  if (notObject) throw new AssignmentError(`The reference cell (cell ${notObject.cell} of ${assignment.sourcePath}) is one of several: each must give a plain object, which are merged.`);
  return Object.assign({}, ...values) as unknown;
}
