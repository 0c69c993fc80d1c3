import type { Assignment } from "../assignment/load-assignment.js";
import { compileTrustedCell } from "./compile-cell.js";

/**
 * Runs the assignment's reference cells once, in the grader. Each declares `const reference = { ... }` with the
 * values hidden tests compare with, computed from the same model the students use (never copied into a
 * notebook); in the instructor's kernel the same cell defines `reference` for the hidden test cells below it.
 */
export async function computeReference(assignment: Assignment): Promise<Record<string, unknown>> {
  const reference: Record<string, unknown> = {};
  for (const [i, source] of assignment.referenceCells.entries()) {
    const label = `reference cell ${i + 1} of ${assignment.sourcePath}`;
    let value: unknown;
    try {
      value = await compileTrustedCell(source, label, [], "reference")();
    } catch (e) {
      throw new Error(`${label} failed: ${(e as Error).message}`);
    }
    if (typeof value !== "object" || value === null) throw new Error(`${label} should declare \`const reference = { ... }\`.`);
    Object.assign(reference, value);
  }
  return reference;
}
