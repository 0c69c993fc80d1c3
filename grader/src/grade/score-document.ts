import type { Manifest } from "./manifest.js";
import type { TestResult } from "./run-tests.js";

export type Status = "graded" | "invalid" | "error" | "timeout";
export const STATUSES: readonly Status[] = ["graded", "invalid", "error", "timeout"];

export interface QuestionScore {
  id: string;
  score: number;
  maxScore: number;
  tests: TestResult[];
}

export interface ManualAnswer {
  id: string;
  maxScore: number;
  answer: string;
  /** null until a person grades the answer. */
  score: number | null;
  /** The grader's (TA's) comment, shown to the student in the feedback report. */
  comment?: string;
}

/** A code answer cell as the student wrote it and as it was graded (matched to the release by grade_id). */
export interface AnswerCell {
  id: string;
  source: string;
}

/** Where a document's `student` id came from (see the schema's `identity`). */
export type IdentityKind = "canvas-user-id" | "moodle-participant-id" | "gradescope-sid" | "gradescope-email" | "gradescope-submission" | "file-name" | "lms-id";

export interface Identity {
  kind: IdentityKind;
  /** The student's name as the LMS or a roster gave it. */
  name?: string;
}

/** One submission's result; the JSON Schema in grader/schema/score.schema.json is its contract. */
export interface ScoreDocument {
  schemaVersion: 1;
  assignment: string;
  student: string;
  identity?: Identity;
  status: Status;
  score: number;
  maxScore: number;
  questions: QuestionScore[];
  manual: ManualAnswer[];
  /** The code answer cells graded, in notebook order: what `courseware report` compares (absent in documents from older graders). */
  answerCells?: AnswerCell[];
  /** Ids of the free-text answers still waiting for a person (absent in documents from older graders). */
  needsManualGrading?: string[];
  /** For the student: every student-facing output shows these, and only these. */
  messages: string[];
  /** For the staff only (environment, file choice, LMS details); absent in documents from older graders. */
  staffNotes?: string[];
  submission: { file: string; sha256: string | null; submittedAt?: string };
  /** What produced this score; absent in documents from older graders. */
  manifest?: Manifest;
  /** `worker`: the queue worker that graded it (host:pid or --name); absent in a local batch. */
  grader: { version: string; sandbox: string[]; worker?: string };
  timing?: { gradedAt: string; durationMs: number; modifiedAt?: string };
}

export interface SummaryDocument {
  schemaVersion: 1;
  assignment: string;
  count: number;
  /** Notes on the whole batch, for the staff. */
  staffNotes?: string[];
  manifest?: Manifest;
  byStatus: Record<Status, number>;
  results: Array<{ student: string; status: Status; score: number; maxScore: number; file: string; staffNotes?: string[] }>;
}

/** Points are shared out evenly between tests, so sums are rounded to keep 1/3 + 1/3 + 1/3 at 1. */
export const roundPoints = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The free-text answers that still need a person: those without a score. */
export function pendingManual(manual: ManualAnswer[]): ManualAnswer[] {
  return manual.filter((m) => m.score === null);
}

/** Points given: the auto-graded questions plus the free-text answers a person has scored. */
export function totalScore(questions: Array<{ score: number }>, manual: ManualAnswer[]): number {
  return sumScores([...questions, ...manual.filter((m): m is ManualAnswer & { score: number } => m.score !== null)]);
}

export function sumScores(items: Array<{ score: number }>): number {
  return roundPoints(items.reduce((a, q) => a + q.score, 0));
}

/** How many of the given note lists hold each note (a list that repeats a note counts once). */
export function noteCounts(lists: Array<string[] | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of lists) for (const n of new Set(list ?? [])) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}

/**
 * The batch's notes for the staff: what could not be read among the inputs, then each staff note that several
 * documents share (the grading environment), said once with how many it concerns.
 */
export function batchStaffNotes(inputMessages: string[], documents: readonly ScoreDocument[]): string[] {
  const shared = [...noteCounts(documents.map((d) => d.staffNotes))].filter(([, n]) => n > 1).map(([note, n]) => `${n === documents.length ? "All" : `${n} of ${documents.length}`} submissions: ${note}`);
  return [...inputMessages, ...shared];
}

/** The document as a student may see it: without the staff's notes. */
export function studentView(doc: ScoreDocument): ScoreDocument {
  const { staffNotes: _staff, ...rest } = doc;
  return rest;
}

/** When the score last changed (older documents: when it was graded). */
export const modifiedAt = (doc: ScoreDocument): string | undefined => doc.timing?.modifiedAt ?? doc.timing?.gradedAt;

/**
 * A time for a changed score that is later than `previous` (the time of the document it replaces), even when the
 * clock is behind it or the change comes in the same millisecond: LTI platforms refuse a score whose timestamp
 * does not increase. ISO 8601 with milliseconds, in UTC.
 */
export function laterTimestamp(previous: string | undefined, now: Date = new Date()): string {
  const before = previous === undefined ? NaN : Date.parse(previous);
  return new Date(Number.isNaN(before) ? now.getTime() : Math.max(now.getTime(), before + 1)).toISOString();
}

/** How many documents have each status (every status present, 0 where none). */
export function countStatuses(docs: ReadonlyArray<{ status: Status }>): Record<Status, number> {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const d of docs) byStatus[d.status] += 1;
  return byStatus;
}

export function summarize(assignment: string, docs: Array<{ doc: ScoreDocument; file: string }>, staffNotes: string[] = [], manifest?: Manifest): SummaryDocument {
  const byStatus = countStatuses(docs.map(({ doc }) => doc));
  return {
    schemaVersion: 1,
    assignment,
    count: docs.length,
    staffNotes,
    ...(manifest && { manifest }),
    byStatus,
    results: docs.map(({ doc, file }) => ({
      student: doc.student,
      status: doc.status,
      score: doc.score,
      maxScore: doc.maxScore,
      file,
      ...(doc.staffNotes?.length && { staffNotes: doc.staffNotes }),
    })),
  };
}
