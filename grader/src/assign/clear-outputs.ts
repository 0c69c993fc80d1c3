import type { Notebook } from "../notebook/nbformat.js";

/** Release notebooks start clean: no outputs, no execution counts. */
export function clearOutputs(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((cell) => (cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell)),
  };
}
