import { assignmentOf } from "../assign/mark-release.js";
import type { Assignment } from "../assignment/load-assignment.js";
import { type Cell, type Notebook, gradeIdOf, isSolutionCell, sourceOf } from "../notebook/nbformat.js";

export interface Restored {
  notebook: Notebook;
  /** Differences from the release that changed what was graded: for the student. */
  messages: string[];
  /** Differences that made no difference to the grade (locked cells edited, points changed, foreign cells): for the staff. */
  staffNotes: string[];
}

const points = (cell: Cell) => cell.metadata.nbgrader?.points ?? "none";

/**
 * Rebuilds the notebook to grade from the release notebook, taking only the student's answer cells
 * (matched by grade_id). Everything else, locked cells included, comes from the release.
 */
export function restore(assignment: Assignment, submission: Notebook): Restored {
  const messages: string[] = [];
  const staffNotes: string[] = [];
  const named = assignmentOf(submission);
  if (named !== undefined && named !== assignment.name) {
    messages.push(`This notebook is from the assignment "${named}", but it was submitted for "${assignment.name}" and graded as that one: did you submit the right file?`);
  }
  const byId = new Map<string, Cell>();
  let added = 0;
  for (const cell of submission.cells) {
    const id = gradeIdOf(cell);
    if (id === undefined) {
      if (cell.cell_type === "code" && sourceOf(cell).trim() !== "") added++;
    } else if (byId.has(id)) {
      messages.push(`The cell "${id}" appears more than once in the submission; the first one was used.`);
    } else {
      byId.set(id, cell);
    }
  }
  const released = new Set(assignment.release.cells.map(gradeIdOf).filter((id) => id !== undefined));
  for (const id of byId.keys()) if (!released.has(id)) staffNotes.push(`The submission has a cell "${id}" that is not in the assignment; it was ignored.`);
  if (added) messages.push(`${added} code cell${added === 1 ? "" : "s"} added outside the answer cells ${added === 1 ? "was" : "were"} not run: only answer cells are graded.`);

  const cells = assignment.release.cells.map((cell) => {
    const id = gradeIdOf(cell);
    if (id === undefined) return cell;
    const theirs = byId.get(id);
    if (!isSolutionCell(cell)) {
      // locked and test cells always come from the release; say what the submission had done to them
      if (!theirs) staffNotes.push(`The locked cell "${id}" was deleted from the submission; the released one was used.`);
      else if (sourceOf(theirs) !== sourceOf(cell)) messages.push(`The locked cell "${id}" was changed in the submission; the released one was used.`);
      if (theirs && points(theirs) !== points(cell)) staffNotes.push(`The points of "${id}" were changed in the submission (${points(cell)} → ${points(theirs)}); the released points were used.`);
      return cell;
    }
    if (!theirs) {
      messages.push(`The answer cell "${id}" is missing from the submission; it was graded as unanswered.`);
      return cell;
    }
    if (theirs.cell_type !== cell.cell_type) {
      messages.push(`The answer cell "${id}" was changed from ${cell.cell_type} to ${theirs.cell_type}; it was graded as unanswered.`);
      return cell;
    }
    if (points(theirs) !== points(cell)) staffNotes.push(`The points of "${id}" were changed in the submission (${points(cell)} → ${points(theirs)}); the released points were used.`);
    return { ...cell, source: sourceOf(theirs) } as Cell;
  });
  return { notebook: { ...assignment.release, cells }, messages, staffNotes };
}
