import { makeRelease } from "../assign/make-release.js";
import { sourcePath } from "../assign/assign.js";
import type { Notebook } from "../notebook/nbformat.js";
import { gradeIdOf, isReferenceCell, isSolutionCell, isTestCell, sourceOf } from "../notebook/nbformat.js";
import { readNotebook } from "../notebook/read-notebook.js";

export interface TestCell {
  gradeId: string;
  /** The values the cell's check() reads: its question's answers. */
  answers: string[];
  points: number;
  hidden: boolean;
  source: string;
}

/** An auto-graded question: the values it reads from the student's notebook and the test cells that judge them. */
export interface AutoQuestion {
  id: string;
  maxScore: number;
  answers: string[];
  tests: TestCell[];
}

/** A free-text answer graded by a person. */
export interface ManualQuestion {
  id: string;
  maxScore: number;
}

export interface Assignment {
  name: string;
  sourcePath: string;
  release: Notebook;
  questions: AutoQuestion[];
  manual: ManualQuestion[];
  /** Code run once per batch, each cell alone in a fresh process, to compute the values tests compare with. */
  referenceCells: ReferenceCell[];
}

/** A reference cell: its source, and its number in the source notebook (1-based, as Jupyter counts cells). */
export interface ReferenceCell {
  source: string;
  cell: number;
}

import { AssignmentError } from "../errors.js";

export { AssignmentError };

export function assignmentFromSource(name: string, path: string, source: Notebook): Assignment {
  const questions = new Map<string, AutoQuestion>();
  const manual: ManualQuestion[] = [];
  const referenceCells: ReferenceCell[] = [];
  const seen = new Set<string>();
  source.cells.forEach((cell, i) => {
    const id = gradeIdOf(cell);
    if (id !== undefined) {
      if (seen.has(id)) throw new AssignmentError(`${path}: cell ${i + 1} repeats grade_id "${id}"; each graded cell needs its own.`);
      seen.add(id);
    }
    if (isReferenceCell(cell)) {
      referenceCells.push({ source: sourceOf(cell), cell: i + 1 });
    } else if (isTestCell(cell)) {
      const meta = cell.metadata.courseware ?? {};
      const qid = meta.question ?? id!;
      const q = questions.get(qid) ?? { id: qid, maxScore: 0, answers: [], tests: [] };
      const points = cell.metadata.nbgrader?.points ?? 0;
      q.maxScore += points;
      for (const a of meta.answers ?? []) if (!q.answers.includes(a)) q.answers.push(a);
      q.tests.push({ gradeId: id!, answers: q.answers, points, hidden: meta.hidden !== false, source: sourceOf(cell) });
      questions.set(qid, q);
    } else if (isSolutionCell(cell) && cell.cell_type === "markdown" && cell.metadata.nbgrader?.grade) {
      manual.push({ id: id!, maxScore: cell.metadata.nbgrader.points ?? 0 });
    }
  });
  for (const q of questions.values()) {
    if (q.answers.length === 0) {
      throw new AssignmentError(`${path}: the tests of question "${q.id}" name no answers; add metadata.courseware.answers, e.g. ["p"].`);
    }
  }
  return { name, sourcePath: path, release: makeRelease(source, name), questions: [...questions.values()], manual, referenceCells };
}

export async function loadAssignment(solutionsDir: string, name: string): Promise<Assignment> {
  const path = sourcePath(solutionsDir, name);
  const source = await readNotebook(path).catch((e: Error) => {
    throw new AssignmentError(`Cannot read the source notebook of "${name}": ${e.message}`);
  });
  return assignmentFromSource(name, path, source);
}
