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

/** One submission's result; the JSON Schema in grader/schema/score.schema.json is its contract. */
export interface ScoreDocument {
  schemaVersion: 1;
  assignment: string;
  student: string;
  status: Status;
  score: number;
  maxScore: number;
  questions: QuestionScore[];
  manual: ManualAnswer[];
  /** Ids of the free-text answers still waiting for a person (absent in documents from older graders). */
  needsManualGrading?: string[];
  messages: string[];
  submission: { file: string; sha256: string | null };
  grader: { version: string; sandbox: string[] };
  timing?: { gradedAt: string; durationMs: number };
}

export interface SummaryDocument {
  schemaVersion: 1;
  assignment: string;
  count: number;
  byStatus: Record<Status, number>;
  results: Array<{ student: string; status: Status; score: number; maxScore: number; file: string }>;
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

export function summarize(assignment: string, docs: Array<{ doc: ScoreDocument; file: string }>): SummaryDocument {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const { doc } of docs) byStatus[doc.status] += 1;
  return {
    schemaVersion: 1,
    assignment,
    count: docs.length,
    byStatus,
    results: docs.map(({ doc, file }) => ({ student: doc.student, status: doc.status, score: doc.score, maxScore: doc.maxScore, file })),
  };
}
