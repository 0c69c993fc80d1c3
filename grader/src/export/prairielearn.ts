// PrairieLearn external grader results.
// Format followed: https://prairielearn.readthedocs.io/en/latest/externalGrading/ ("Grading results"; source
// docs/externalGrading.md in github.com/PrairieLearn/PrairieLearn): the grader writes /grade/results/results.json
// with `score` in [0, 1]; `gradable: false` marks input that is invalid or malformed (no points given or lost, no
// attempt used) with `format_errors` (a string or a list of strings); `message`, `output` and `tests[]` (`name`,
// `description`, `points`, `max_points`, `message`, `output`) are shown by <pl-external-grader-results>, which
// shows per-test points only when every test has both `points` and `max_points`.
// Points: the external grader sets a question's auto points only (docs/assessment/configuration.md: "auto points
// (points that are automatically assigned by an internal or external grader) and manual points (points that are
// assigned manually by a human grader)"), so `score` = auto-graded points / auto-graded maximum, and the
// free-text answers belong to the question's `manualPoints`, graded in PrairieLearn (docs/manualGrading/index.md).
// Scores a TA entered with `courseware grade --manual` are not sent: PrairieLearn keeps its own manual grades.
import type { ScoreDocument } from "../grade/score-document.js";
import { roundPoints, sumScores } from "../grade/score-document.js";
import { type ExportResult, assertUniqueStudents, autograded, forStudents, formatPoints, json, pointsText, safeName, sorted, statusText } from "./common.js";

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

/** The message: how the score is made, the status, the grader's messages for the student, the hand-graded part. */
function message(doc: ScoreDocument): string {
  const auto = autograded(doc);
  const lines: string[] = [];
  if (doc.status !== "invalid") lines.push(`Autograded tests: ${formatPoints(auto.points)} of ${formatPoints(auto.max)} points.`);
  if (statusText(doc)) lines.push(statusText(doc));
  lines.push(...doc.messages);
  if (doc.manual.length) {
    const max = sumScores(doc.manual.map((m) => ({ score: m.maxScore })));
    lines.push(`Graded by hand (the question's manual points, not in this score): ${doc.manual.map((m) => m.id).join(", ")} (${formatPoints(max)} ${max === 1 ? "point" : "points"}).`);
  }
  return lines.join("\n");
}

export function prairieLearnResult(input: ScoreDocument): PrairieLearnResults {
  const doc = forStudents([input])[0]!;
  const text = message(doc);
  if (doc.status === "invalid") return { gradable: false, message: text, format_errors: doc.messages.length ? [...doc.messages] : [statusText(doc)] };
  const tests: PrairieLearnTest[] = doc.questions.flatMap((q) =>
    q.tests.map((t) => ({
      name: `${q.id}: ${t.name}`,
      ...(t.hidden && { description: "Hidden test (its code is not shown)." }),
      points: t.points,
      max_points: t.maxPoints,
      message: t.message,
    })),
  );
  const auto = autograded(doc);
  // nothing auto-graded (only free-text questions): the question should have no auto points; 0 gives none
  const score = auto.max > 0 ? Math.min(1, Math.max(0, roundPoints(auto.points / auto.max))) : 0;
  return { gradable: true, score, message: text, tests };
}

/** One `prairielearn/<student>/results.json` per document. */
export function prairieLearnResults(docs: ScoreDocument[]): ExportResult {
  assertUniqueStudents(docs);
  const notes: string[] = [];
  const withManual = docs.filter((d) => d.manual.length);
  if (withManual.length) {
    const d = withManual[0]!;
    notes.push(
      `PrairieLearn scores are fractions of the autograded points (${formatPoints(autograded(d).max)}); the free-text answers (${pointsText(sumScores(d.manual.map((m) => ({ score: m.maxScore }))))}) are the question's manualPoints, graded in PrairieLearn.`,
    );
  }
  return { files: sorted(docs).map((d) => ({ path: `prairielearn/${safeName(d.student)}/results.json`, content: json(prairieLearnResult(d)) })), notes };
}
