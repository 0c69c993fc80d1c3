// report.json: every figure the page shows (the page adds only the two answers of each similar pair it displays).
import type { Status } from "../grade/score-document.js";
import type { MessageCount } from "./message-counts.js";

export interface Bin {
  /** Lower edge, inclusive. */
  from: number;
  /** Upper edge: exclusive, except for the last bin, which holds its upper edge. */
  to: number;
  count: number;
}

export interface Problem {
  status: Exclude<Status, "graded">;
  students: string[];
  /** The most common messages of these documents, students' and staff's. */
  messages: MessageCount[];
}

export interface ClassFigures {
  statuses: Record<Status, number>;
  /** Over graded documents: points, and the histogram in tenths of the maximum. */
  score: { graded: number; maxScore: number; mean: number | null; median: number | null; sd: number | null; min: number | null; max: number | null; histogram: Bin[] };
  problems: Problem[];
  /** Grading time per submission, over the documents that record it. */
  time: { measured: number; medianMs: number | null; p90Ms: number | null; maxMs: number | null; histogram: Bin[]; slowest: Array<{ student: string; ms: number }>; byWorker: Array<{ worker: string; count: number; medianMs: number }> };
}

export interface TestFigures {
  name: string;
  hidden: boolean;
  maxPoints: number;
  /** Graded documents that have this test. */
  taken: number;
  passed: number;
  /** passed / taken. */
  passShare: number;
  /** Classical item difficulty: the mean share of the test's points earned (equal to passShare for all-or-nothing tests). */
  difficulty: number;
  /**
   * Corrected item-total correlation: Pearson's r between this test's points and the rest of the auto-graded
   * score (all other tests). Null where either does not vary (everyone passed, say).
   */
  discrimination: number | null;
  failures: MessageCount[];
  /** Why a TA should look at the test or its instructions (empty when nothing stands out). */
  flags: string[];
}

export interface QuestionFigures {
  id: string;
  maxScore: number;
  graded: number;
  mean: number | null;
  /** How many graded documents got each score. */
  distribution: Array<{ score: number; count: number }>;
  tests: TestFigures[];
}

export interface ManualStatus {
  id: string;
  maxScore: number;
  /** Documents that hold the answer. */
  answers: number;
  graded: number;
  /** Still waiting for a person. */
  pending: number;
  /** Mean score of the graded ones. */
  mean: number | null;
}

export interface SimilarPairEntry {
  /** The answer cell's grade_id (a code cell, or a free-text answer). */
  question: string;
  kind: "code" | "text";
  students: [string, string];
  score: number;
}

export interface SimilarityQuestion {
  question: string;
  kind: "code" | "text";
  /** Answers compared (neither too short nor only the given text). */
  compared: number;
  tooShort: number;
  pairs: number;
}

export interface Report {
  reportVersion: 1;
  assignment: string;
  /** The grades folder read. */
  from: string;
  generatedAt: string;
  documents: number;
  /** Notes on the whole batch for the staff (environment, sandbox layers), once. */
  staffNotes: string[];
  /** What the report itself could not do (documents without answer cells, no release to take the given code from). */
  reportNotes: string[];
  class: ClassFigures;
  questions: QuestionFigures[];
  manual: ManualStatus[];
  similarityQuestions: SimilarityQuestion[];
  /** Pairs at or above the report's threshold, highest first. */
  similarity: SimilarPairEntry[];
}
