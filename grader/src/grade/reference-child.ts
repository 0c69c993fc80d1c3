// Runs one reference cell of an assignment alone, in a fresh Node.js process started by reference.ts, and hands its
// `reference` value back on fd 3 as encoded data (values.ts), the way answers cross from a sandbox. The cell is the
// instructor's (trusted): it runs with the grader's packages and may print; only fd 3 carries the result.
import { writeSync } from "node:fs";
import { compileTrustedCell } from "./compile-cell.js";
import { encodeValue } from "./values.js";

const RESULT_FD = 3;
const send = (msg: unknown) => writeSync(RESULT_FD, JSON.stringify(msg) + "\n");

let input = "";
for await (const chunk of process.stdin) input += String(chunk);
const { source, label } = JSON.parse(input) as { source: string; label: string };
try {
  const value = await compileTrustedCell(source, label, [], "reference")();
  send(value === undefined ? { missing: true } : { value: encodeValue(value, 0, true) });
} catch (e) {
  send({ error: (e as Error)?.message ?? String(e) });
}
// the cell may leave a model session or a timer open: the value is out, so the process ends here
process.exit(0);
