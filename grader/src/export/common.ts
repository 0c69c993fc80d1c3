import type { ScoreDocument } from "../grade/score-document.js";
import { modifiedAt, pendingManual, roundPoints, studentView, sumScores, totalScore } from "../grade/score-document.js";

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

/** The auto-graded part: points the tests gave, and the most they can give (the free-text answers left out). */
export function autograded(doc: ScoreDocument): { points: number; max: number } {
  return { points: sumScores(doc.questions), max: sumScores(doc.questions.map((q) => ({ score: q.maxScore }))) };
}

/**
 * The documents as exports may use them: without the staff's notes (score-document.ts `studentView`), since every
 * export ends up somewhere a student can see it (LMS feedback, comments, test output).
 */
export function forStudents(docs: readonly ScoreDocument[]): ScoreDocument[] {
  return docs.map(studentView);
}

const plural = (n: number, word: string) => `${formatPoints(n)} ${roundPoints(n) === 1 ? word : `${word}s`}`;
/** "1 point", "3.5 points". */
export const pointsText = (n: number): string => plural(n, "point");

/**
 * How the points add up, in words: the auto-graded tests, the free-text answers a person has scored, and those
 * still waiting (not in the score). Gradescope's test max_scores and PrairieLearn's score only cover part of the
 * assignment's total, and this says which part.
 */
export function pointsStatement(doc: ScoreDocument): string[] {
  const auto = autograded(doc);
  const lines = [`Autograded tests: ${formatPoints(auto.points)} of ${plural(auto.max, "point")}.`];
  const graded = doc.manual.filter((m) => m.score !== null);
  const pending = pendingManual(doc.manual);
  if (graded.length) lines.push(`Graded by hand: ${formatPoints(sumScores(graded as Array<{ score: number }>))} of ${plural(sumScores(graded.map((m) => ({ score: m.maxScore }))), "point")} (${graded.map((m) => m.id).join(", ")}).`);
  if (pending.length) lines.push(`Still to be graded by hand, not in this score: ${plural(sumScores(pending.map((m) => ({ score: m.maxScore }))), "point")} (${pending.map((m) => m.id).join(", ")}).`);
  if (doc.manual.length) lines.push(`The assignment is worth ${plural(doc.maxScore, "point")} in all.`);
  return lines;
}

/** The status sentence of a document (empty for a graded one). */
export function statusText(doc: ScoreDocument): string {
  return STATUS_TEXT[doc.status];
}

/** ISO 8601 in UTC with milliseconds (as `Date#toISOString` writes it), from any ISO 8601 date-time with a zone. */
export function isoMillis(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}

/** When the document's score last changed (timing.modifiedAt, else gradedAt), else the fallback; ms precision. */
export function scoreTime(doc: ScoreDocument, fallback: string | undefined, option = "--timestamp"): string {
  const t = modifiedAt(doc) ?? fallback;
  if (t === undefined) throw new ExportError(`The score document of ${JSON.stringify(doc.student)} has no timing.gradedAt; pass ${option}.`);
  if (!ISO_WITH_ZONE.test(t) || Number.isNaN(Date.parse(t))) throw new ExportError(`${JSON.stringify(t)} is not an ISO 8601 date-time with a time zone.`);
  return isoMillis(t);
}

/** ISO 8601 date-time with a time zone (Z or ±hh:mm). */
export const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

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
