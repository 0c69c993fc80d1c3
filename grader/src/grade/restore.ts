import type { Assignment } from "../assignment/load-assignment.js";
import { type Cell, type Notebook, gradeIdOf, isSolutionCell, sourceOf } from "../notebook/nbformat.js";

export interface Restored {
  notebook: Notebook;
  /** Which answer cells came from the submission and which were missing. */
  messages: string[];
}

/**
 * Rebuilds the notebook to grade from the release notebook, taking only the student's answer cells
 * (matched by grade_id). Everything else, locked cells included, comes from the release.
 */
export function restore(assignment: Assignment, submission: Notebook): Restored {
  const answers = new Map<string, Cell>();
  for (const cell of submission.cells) {
    const id = gradeIdOf(cell);
    if (id !== undefined && !answers.has(id)) answers.set(id, cell);
  }
  const messages: string[] = [];
  const cells = assignment.release.cells.map((cell) => {
    if (!isSolutionCell(cell)) return cell;
    const id = gradeIdOf(cell)!;
    const answer = answers.get(id);
    if (!answer) {
      messages.push(`The answer cell "${id}" is missing from the submission; it was graded as unanswered.`);
      return cell;
    }
    if (answer.cell_type !== cell.cell_type) {
      messages.push(`The answer cell "${id}" was changed from ${cell.cell_type} to ${answer.cell_type}; it was graded as unanswered.`);
      return cell;
    }
    return { ...cell, source: sourceOf(answer) } as Cell;
  });
  return { notebook: { ...assignment.release, cells }, messages };
}
