// PrairieLearn external grader results.
// Format followed: https://prairielearn.readthedocs.io/en/latest/externalGrading/ ("Grading results"): the grader
// writes /grade/results/results.json with `score` in [0, 1]; `gradable: false` marks input that is invalid or
// malformed (no points given or lost, no attempt used) with `format_errors`; `message`, `output` and `tests[]`
// (`name`, `description`, `points`, `max_points`, `message`, `output`) are shown by <pl-external-grader-results>.
import type { ScoreDocument } from "../grade/score-document.js";
import { pendingManual, roundPoints } from "../grade/score-document.js";
import { type ExportResult, assertUniqueStudents, feedbackText, json, pendingNote, pointsGiven, safeName, sorted } from "./common.js";

export interface PrairieLearnTest {
  name: string;
  description?: string;
  points: number;
  max_points: number;
  message: string;
}

export interface PrairieLearnResults {
  gradable: boolean;
  score?: number;
  message: string;
  format_errors?: string[];
  tests?: PrairieLearnTest[];
}

export function prairieLearnResult(doc: ScoreDocument): PrairieLearnResults {
  const message = feedbackText(doc);
  if (doc.status === "invalid") return { gradable: false, message, format_errors: doc.messages.length ? [...doc.messages] : [message] };
  const tests: PrairieLearnTest[] = doc.questions.flatMap((q) =>
    q.tests.map((t) => ({
      name: `${q.id}: ${t.name}`,
      ...(t.hidden && { description: "Hidden test (its code is not shown)." }),
      points: t.points,
      max_points: t.maxPoints,
      message: t.message,
    })),
  );
  for (const m of doc.manual) {
    if (m.score === null) continue;
    tests.push({ name: `${m.id} (graded by hand)`, points: m.score, max_points: m.maxScore, message: "" });
  }
  const score = doc.maxScore > 0 ? Math.min(1, Math.max(0, roundPoints(pointsGiven(doc) / doc.maxScore))) : 0;
  return { gradable: true, score, message, tests };
}

/** One `prairielearn/<student>/results.json` per document. */
export function prairieLearnResults(docs: ScoreDocument[]): ExportResult {
  assertUniqueStudents(docs);
  const notes = pendingNote(docs);
  if (docs.some((d) => pendingManual(d.manual).length)) notes.push("PrairieLearn scores are fractions of the whole maxScore, manual questions included.");
  return { files: sorted(docs).map((d) => ({ path: `prairielearn/${safeName(d.student)}/results.json`, content: json(prairieLearnResult(d)) })), notes };
}
