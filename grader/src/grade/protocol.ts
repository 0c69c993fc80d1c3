// Messages between the grader (parent) and one sandboxed notebook process (child).
// Parent -> child on stdin, child -> parent on fd 3, one JSON object per line. The parent trusts none of the
// child's messages as a verdict: it only takes cell outcomes for feedback and values for its own tests.
import type { CompiledCell } from "./compile/protocol.js";
import type { EncodedValue } from "./values.js";

export type ParentMessage =
  /** A code cell, compiled by the grader against `prevDecl` (the declarations of the cells that ran before it). */
  | { type: "cell"; id: string; source: string; prevDecl: string; compiled: CompiledCell }
  | { type: "values"; id: string; names: string[] }
  | { type: "end" };

export interface CellOutput {
  stream?: "stdout" | "stderr";
  text?: string;
  error?: string;
  display?: boolean;
}

export type ChildMessage =
  | { type: "ready" }
  | { type: "cell"; id: string; ok: boolean; outputs: CellOutput[]; truncated: boolean }
  | { type: "values"; id: string; values: Record<string, EncodedValue | { missing: true }> };

export const RESULT_FD = 3;
