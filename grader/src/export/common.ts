import type { ScoreDocument } from "../grade/score-document.js";
import { pendingManual, roundPoints, totalScore } from "../grade/score-document.js";

/** One file an exporter produces: a path relative to the export folder, its text, and its mode when not 0o644. */
export interface ExportFile {
  path: string;
  content: string;
  mode?: number;
}

/** What an exporter returns: the files, and notes for the person running it (printed by the CLI). */
export interface ExportResult {
  files: ExportFile[];
  notes: string[];
}

export class ExportError extends Error {
  override name = "ExportError";
}

/**
 * Points given: the auto-graded question scores plus the manual answers a person has scored, computed from the
 * parts (not `doc.score`) so that a manual score is never counted twice. A pending answer counts 0 here, and the
 * exports say it is pending.
 */
export function pointsGiven(doc: ScoreDocument): number {
  return totalScore(doc.questions, doc.manual);
}

/** A number as exports write it: rounded like the grader rounds points, no trailing zeros ("3.5", "6"). */
export function formatPoints(x: number): string {
  return String(roundPoints(x));
}

const STATUS_TEXT: Record<ScoreDocument["status"], string> = {
  graded: "",
  invalid: "The submission could not be graded: it is not a gradable notebook. No points were given.",
  error: "The notebook stopped with an error before it finished; the tests ran on the values it had computed.",
  timeout: "The notebook ran out of time before it finished; the tests ran on the values it had computed.",
};

/** Plain-text feedback for a whole submission: its status, the grader's messages, and pending manual answers. */
export function feedbackText(doc: ScoreDocument): string {
  const lines: string[] = [];
  if (STATUS_TEXT[doc.status]) lines.push(STATUS_TEXT[doc.status]);
  lines.push(...doc.messages);
  for (const m of pendingManual(doc.manual)) lines.push(`"${m.id}" (${formatPoints(m.maxScore)} ${m.maxScore === 1 ? "point" : "points"}) is graded by hand and is not counted yet.`);
  return lines.join("\n");
}

/** A note for the CLI when some documents still have manual answers to grade. */
export function pendingNote(docs: ScoreDocument[]): string[] {
  const pending = docs.filter((d) => pendingManual(d.manual).length > 0);
  if (!pending.length) return [];
  return [`${pending.length} of ${docs.length} submissions have manual answers not graded yet (score null); those points are not counted in the exported scores.`];
}

/** Documents in a fixed order (by student, then assignment), so exports do not depend on the order files were read. */
export function sorted(docs: ScoreDocument[]): ScoreDocument[] {
  return [...docs].sort((a, b) => cmp(a.student, b.student) || cmp(a.assignment, b.assignment));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A student id used as a file or folder name: refused when it could leave the export folder. */
export function safeName(student: string): string {
  if (student === "." || student === ".." || /[/\\\0]/.test(student)) {
    throw new ExportError(`The student id ${JSON.stringify(student)} cannot be used as a file name.`);
  }
  return student;
}

/** Throws when two documents are for the same student (a per-student export would lose one). */
export function assertUniqueStudents(docs: ScoreDocument[]): void {
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.student)) throw new ExportError(`Two score documents are for the student ${JSON.stringify(d.student)}.`);
    seen.add(d.student);
  }
}

/** The single assignment the documents are for; throws when they mix assignments (a gradebook column is one assignment). */
export function singleAssignment(docs: ScoreDocument[]): string {
  const names = [...new Set(docs.map((d) => d.assignment))].sort();
  if (names.length !== 1) throw new ExportError(names.length ? `The score documents are for several assignments (${names.join(", ")}); export one at a time.` : "There are no score documents to export.");
  return names[0]!;
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2) + "\n";
