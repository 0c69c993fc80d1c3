// Step 2, restore: the notebook to run, rebuilt from the release with the student's answer cells (restore.ts), the
// free-text answers, and how messages will name each code cell (as the student's notebook numbers them).
import { basename } from "node:path";
import type { Assignment } from "../../assignment/load-assignment.js";
import { type Cell, gradeIdOf, isSolutionCell, sourceOf } from "../../notebook/nbformat.js";
import { parseNotebook } from "../../notebook/read-notebook.js";
import { cellLabels } from "../cell-labels.js";
import { restore } from "../restore.js";
import type { AnswerCell, ManualAnswer } from "../score-document.js";
import { type Notes, type Stop, stop } from "./notes.js";

export interface Rebuilt extends Notes {
  /** The code cells to run, in order, and each one's label for messages. */
  codeCells: Cell[];
  labels: string[];
  manual: ManualAnswer[];
  answerCells: AnswerCell[];
}

export function rebuildNotebook(assignment: Assignment, bytes: Buffer, file: string): Rebuilt | Stop {
  let submitted;
  let restored;
  try {
    submitted = parseNotebook(bytes.toString("utf8"), `The submission ${basename(file)}`);
    restored = restore(assignment, submitted);
  } catch (e) {
    return stop((e as Error).message);
  }
  const cells = restored.notebook.cells;
  const manual = assignment.manual.map((m): ManualAnswer => {
    const cell = cells.find((c) => gradeIdOf(c) === m.id);
    return { id: m.id, maxScore: m.maxScore, answer: cell ? sourceOf(cell) : "", score: null };
  });
  const codeCells = cells.filter((c) => c.cell_type === "code");
  const answerCells = codeCells.filter(isSolutionCell).map((c): AnswerCell => ({ id: gradeIdOf(c)!, source: sourceOf(c) }));
  return { messages: restored.messages, staffNotes: restored.staffNotes, codeCells, labels: cellLabels(codeCells, submitted.cells), manual, answerCells };
}
