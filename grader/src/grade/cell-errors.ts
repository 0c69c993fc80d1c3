import type { CellOutput } from "./protocol.js";

/** The line of an error output a student needs first ("Error: Not implemented"), without the stack. */
export function firstErrorLine(outputs: CellOutput[]): string | null {
  const text = outputs.find((o) => o.error !== undefined)?.error;
  if (text === undefined) return null;
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const named = lines.find((l) => /^[A-Z]\w*(Error|Exception)\b/.test(l) || /^Error\b/.test(l));
  return named ?? lines.find((l) => !l.startsWith("at ") && !l.startsWith("evalmachine") && l !== "^") ?? lines[0] ?? "error";
}
