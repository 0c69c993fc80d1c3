// How messages name a cell: as the student's own notebook has it. The notebook that runs is rebuilt from the release
// (restore.ts), so its cell 33 may be the student's cell 36 when they added cells above it. Each run cell is found
// in the submission by its grade_id, else its nbformat cell id, else its exact source (first unused match).
import { type Cell, gradeIdOf, isSolutionCell, sourceOf } from "../notebook/nbformat.js";

/** One label per cell of `run` (the restored notebook), such as `cell 36 (the answer cell "softmax")`. */
export function cellLabels(run: Cell[], submission: Cell[]): string[] {
  const used = new Set<number>();
  const find = (pred: (c: Cell) => boolean) => {
    const i = submission.findIndex((c, k) => !used.has(k) && pred(c));
    if (i >= 0) used.add(i);
    return i;
  };
  return run.map((cell) => {
    const gradeId = gradeIdOf(cell);
    let at = gradeId !== undefined ? find((c) => gradeIdOf(c) === gradeId) : -1;
    if (at < 0 && cell.id !== undefined) at = find((c) => c.id === cell.id && c.cell_type === cell.cell_type);
    if (at < 0) at = find((c) => c.cell_type === cell.cell_type && sourceOf(c) === sourceOf(cell));
    const what = isSolutionCell(cell) ? ` (the answer cell "${gradeId}")` : "";
    if (at >= 0) return `cell ${at + 1}${what}`;
    return gradeId !== undefined ? `the released cell "${gradeId}" (not in your notebook)` : "a released cell that is not in your notebook";
  });
}

/** The label at the start of a sentence. */
export const capitalized = (label: string): string => label.charAt(0).toUpperCase() + label.slice(1);
