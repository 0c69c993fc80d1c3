// Gradescope autograder results.
// Format followed: https://gradescope-autograders.readthedocs.io/en/latest/specs/ ("Output format" and
// "Controlling test case visibility"): results.json has an optional top-level `score` (overrides the sum of the
// tests), `output`, and `tests[]` with `score`, `max_score`, `status` ("passed"/"failed"), `name`, `output` and
// `visibility`: "visible" (default), "hidden" (never shown to students), "after_due_date", "after_published"
// (shown once grades are published from "Review Grades").
import type { ScoreDocument } from "../grade/score-document.js";
import { type ExportResult, ExportError, assertUniqueStudents, feedbackText, json, pendingNote, pointsGiven, safeName, sorted } from "./common.js";

export const HIDDEN_VISIBILITIES = ["hidden", "after_due_date", "after_published"] as const;
export type HiddenVisibility = (typeof HIDDEN_VISIBILITIES)[number];
export type Visibility = "visible" | HiddenVisibility;

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: Visibility;
}

export interface GradescopeResults {
  score: number;
  output: string;
  tests: GradescopeTest[];
}

export interface GradescopeOptions {
  /** Visibility of the course's hidden tests (only their names, points and messages are in a score document). Default "after_published". */
  hiddenVisibility?: HiddenVisibility;
}

export function gradescopeResult(doc: ScoreDocument, opts: GradescopeOptions = {}): GradescopeResults {
  const hidden = opts.hiddenVisibility ?? "after_published";
  const tests: GradescopeTest[] = doc.questions.flatMap((q) =>
    q.tests.map((t) => ({
      name: `${q.id}: ${t.name}`,
      score: t.points,
      max_score: t.maxPoints,
      status: t.passed ? ("passed" as const) : ("failed" as const),
      output: t.message,
      visibility: t.hidden ? hidden : ("visible" as const),
    })),
  );
  for (const m of doc.manual) {
    if (m.score === null) continue;
    tests.push({ name: `${m.id} (graded by hand)`, score: m.score, max_score: m.maxScore, status: m.score >= m.maxScore ? "passed" : "failed", output: "", visibility: "visible" });
  }
  return { score: pointsGiven(doc), output: feedbackText(doc), tests };
}

/** One `gradescope/<student>/results.json` per document. */
export function gradescopeResults(docs: ScoreDocument[], opts: GradescopeOptions = {}): ExportResult {
  assertUniqueStudents(docs);
  return {
    files: sorted(docs).map((d) => ({ path: `gradescope/${safeName(d.student)}/results.json`, content: json(gradescopeResult(d, opts)) })),
    notes: pendingNote(docs),
  };
}

/** The results.json of the only document (inside Gradescope's autograder, where one submission was graded). */
export function gradescopeSingle(docs: ScoreDocument[], opts: GradescopeOptions = {}): ExportResult {
  if (docs.length !== 1) throw new ExportError(`--single needs exactly one score document; found ${docs.length}.`);
  return { files: [{ path: "results.json", content: json(gradescopeResult(docs[0]!, opts)) }], notes: [] };
}
