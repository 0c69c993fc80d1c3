import { type Cell, type Notebook, isSolutionCell, sourceOf, toSourceLines } from "../notebook/nbformat.js";

export const CODE_STUB = ["// YOUR CODE HERE", 'throw new Error("Not implemented");'];
export const ANSWER_STUB = "YOUR ANSWER HERE";
const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/\s*END SOLUTION\s*$/;

/**
 * Replaces solutions with stubs, like nbgrader's ClearSolutions: in a solution code cell the lines between
 * `// BEGIN SOLUTION` and `// END SOLUTION` (or the whole cell when it has no markers) become the code stub;
 * a solution markdown cell becomes the answer stub.
 */
export function clearSolutions(nb: Notebook): Notebook {
  return { ...nb, cells: nb.cells.map((cell, i) => (isSolutionCell(cell) ? clearCell(cell, i) : cell)) };
}

function clearCell(cell: Cell, index: number): Cell {
  if (cell.cell_type !== "code") return { ...cell, source: toSourceLines(ANSWER_STUB) };
  const lines = sourceOf(cell).split("\n");
  if (!lines.some((l) => BEGIN.test(l))) return { ...cell, source: toSourceLines(CODE_STUB.join("\n")) };
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (inside) throw new Error(`Cell ${index + 1} (${cell.metadata.nbgrader?.grade_id}): nested "// BEGIN SOLUTION".`);
      inside = true;
      out.push(...CODE_STUB.map((s) => begin[1] + s));
    } else if (END.test(line)) {
      if (!inside) throw new Error(`Cell ${index + 1} (${cell.metadata.nbgrader?.grade_id}): "// END SOLUTION" without a BEGIN.`);
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  }
  if (inside) throw new Error(`Cell ${index + 1} (${cell.metadata.nbgrader?.grade_id}): "// BEGIN SOLUTION" is never closed with "// END SOLUTION".`);
  return { ...cell, source: toSourceLines(out.join("\n")) };
}
