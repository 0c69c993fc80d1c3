import { type Notebook, isReferenceCell, isTestCell } from "../notebook/nbformat.js";

/** Drops hidden test cells and reference cells: both run only in the grader and must never reach students. */
export function removeHiddenTests(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.filter((cell) => !isReferenceCell(cell) && !(isTestCell(cell) && cell.metadata.courseware?.hidden !== false)),
  };
}
