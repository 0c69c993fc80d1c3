import type { Assignment } from "../assignment/load-assignment.js";
import { compileTrustedCell } from "./compile-cell.js";

/**
 * Runs the assignment's reference cells once, in the grader: they fill `reference` with the values tests
 * compare with (computed from the same model the students use, never copied into a notebook).
 */
export async function computeReference(assignment: Assignment): Promise<Record<string, unknown>> {
  const reference: Record<string, unknown> = {};
  for (const [i, source] of assignment.referenceCells.entries()) {
    const label = `reference cell ${i + 1} of ${assignment.sourcePath}`;
    try {
      await compileTrustedCell(source, label, ["reference"])(reference);
    } catch (e) {
      throw new Error(`${label} failed: ${(e as Error).message}`);
    }
  }
  return reference;
}
