// Gradescope autograder results.
// Format followed: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (source: docs/specs.md in
// github.com/gradescope/autograder_samples), sections "Output format", "Controlling Test Case Visibility",
// "Controlling standard output visibility" and "Output String Formatting":
// - top level: `score` (overrides the sum of the tests), `execution_time` (seconds), `output`, `output_format`
//   (default "simple_format", which renders HTML: the student's own error text must not be read as HTML, so it is
//   always set), `test_output_format` and `test_name_format` (defaults "text"), `visibility`, `stdout_visibility`,
//   `extra_data`, `tests[]`;
// - a test: `score`, `max_score`, `status` ("passed"/"failed"), `name`, `output`, `output_format`, `visibility`:
//   "visible" (default), "hidden" (never shown to students), "after_due_date", "after_published" (shown once grades
//   are published from "Review Grades"); a top-level visibility applies to tests without their own;
// - formats: "text" (no HTML, Markdown or ANSI rendered), "html", "simple_format", "md" ("some basic Markdown"),
//   "ansi";
// - stdout (what run_autograder prints) is shown to instructors only, unless `stdout_visibility` says otherwise.
// Points: the assignment's total on Gradescope is its outline (autograder points plus any manually graded
// questions, docs/manual_grading.md); the tests here are the auto-graded tests plus the free-text answers a TA has
// scored with `courseware grade --manual`; answers still waiting are no test (a 0 of 1 would read as failed), and
// `output` starts with the statement of how the points add up (common.ts pointsStatement), `extra_data.courseware`
// holds the same numbers.
import type { ScoreDocument } from "../grade/score-document.js";
import { pendingManual } from "../grade/score-document.js";
import { type ExportResult, ExportError, assertUniqueStudents, autograded, forStudents, formatPoints, json, pendingNote, pointsGiven, pointsStatement, pointsText, safeName, sorted, statusText } from "./common.js";

export const HIDDEN_VISIBILITIES = ["hidden", "after_due_date", "after_published"] as const;
export type HiddenVisibility = (typeof HIDDEN_VISIBILITIES)[number];
export const VISIBILITIES = ["visible", ...HIDDEN_VISIBILITIES] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const OUTPUT_FORMATS = ["text", "md"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  output_format: OutputFormat;
  visibility?: Visibility;
}

export interface GradescopeResults {
  score: number;
  execution_time?: number;
  output: string;
  output_format: OutputFormat;
  test_output_format: OutputFormat;
  test_name_format: "text";
  visibility?: Visibility;
  stdout_visibility: Visibility;
  extra_data: { courseware: { status: ScoreDocument["status"]; autogradedScore: number; autogradedMaxScore: number; maxScore: number; pendingManual: Array<{ id: string; maxScore: number }> } };
  tests: GradescopeTest[];
}

export interface GradescopeOptions {
  /** Visibility of the course's hidden tests (only their names, points and messages are in a score document). Default "after_published". */
  hiddenVisibility?: HiddenVisibility;
  /** Top-level `visibility`: when students see the tests that have no visibility of their own (the public ones). Default: not set (visible). */
  visibility?: Visibility;
  /** Who sees run_autograder's output. Default "hidden" (instructors only): it holds the staff's notes. */
  stdoutVisibility?: Visibility;
  /** How `output` is rendered: "text" (default) or "md" (the student's text escaped). */
  format?: OutputFormat;
  /** execution_time in seconds; default: the document's timing.durationMs. */
  executionTimeSeconds?: number;
}

/**
 * Markdown for text that may hold anything (a student's error message): CommonMark lets any ASCII punctuation be
 * backslash-escaped (https://spec.commonmark.org/0.31.2/#backslash-escapes), so every one is, and nothing in the
 * text can open a link, an HTML tag, emphasis or a code span; line ends become hard breaks (two spaces).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`)
    .split(/\r\n|\r|\n/)
    .join("  \n");
}

function render(lines: string[], format: OutputFormat): string {
  if (format === "text") return lines.join("\n");
  return lines.map(escapeMarkdown).join("\n\n");
}

export function gradescopeResult(input: ScoreDocument, opts: GradescopeOptions = {}): GradescopeResults {
  const doc = forStudents([input])[0]!;
  const format = opts.format ?? "text";
  const hidden = opts.hiddenVisibility ?? "after_published";
  const fmt = (s: string) => (format === "md" ? escapeMarkdown(s) : s);
  const tests: GradescopeTest[] = doc.questions.flatMap((q) =>
    q.tests.map((t) => ({
      name: `${q.id}: ${t.name}`,
      score: t.points,
      max_score: t.maxPoints,
      status: t.passed ? ("passed" as const) : ("failed" as const),
      output: fmt(t.message),
      output_format: format,
      // public tests follow the top-level visibility when one is set
      ...(t.hidden ? { visibility: hidden } : opts.visibility === undefined ? { visibility: "visible" as const } : {}),
    })),
  );
  for (const m of doc.manual) {
    if (m.score === null) continue;
    tests.push({ name: `${m.id} (graded by hand)`, score: m.score, max_score: m.maxScore, status: m.score >= m.maxScore ? "passed" : "failed", output: fmt(m.comment ?? ""), output_format: format, ...(opts.visibility === undefined && { visibility: "visible" as const }) });
  }
  const auto = autograded(doc);
  const lines = [...pointsStatement(doc), ...(statusText(doc) ? [statusText(doc)] : []), ...doc.messages];
  const seconds = opts.executionTimeSeconds ?? (doc.timing ? doc.timing.durationMs / 1000 : undefined);
  return {
    score: pointsGiven(doc),
    ...(seconds !== undefined && { execution_time: Math.max(0, Math.round(seconds)) }),
    output: render(lines, format),
    output_format: format,
    test_output_format: format,
    test_name_format: "text",
    ...(opts.visibility !== undefined && { visibility: opts.visibility }),
    stdout_visibility: opts.stdoutVisibility ?? "hidden",
    extra_data: {
      courseware: {
        status: doc.status,
        autogradedScore: auto.points,
        autogradedMaxScore: auto.max,
        maxScore: doc.maxScore,
        pendingManual: pendingManual(doc.manual).map((m) => ({ id: m.id, maxScore: m.maxScore })),
      },
    },
    tests,
  };
}

/**
 * results.json for a submission that has nothing to grade, which is the student's doing (no notebook, several
 * notebooks): score 0 and the reason. Not for failures of the autograder itself: those write no results.json.
 */
export function gradescopeNothingToGrade(reason: string, opts: GradescopeOptions = {}): Omit<GradescopeResults, "extra_data"> {
  const format = opts.format ?? "text";
  return {
    score: 0,
    ...(opts.executionTimeSeconds !== undefined && { execution_time: Math.max(0, Math.round(opts.executionTimeSeconds)) }),
    output: render([reason], format),
    output_format: format,
    test_output_format: format,
    test_name_format: "text",
    ...(opts.visibility !== undefined && { visibility: opts.visibility }),
    stdout_visibility: opts.stdoutVisibility ?? "hidden",
    tests: [],
  };
}

/** One `gradescope/<student>/results.json` per document. */
export function gradescopeResults(docs: ScoreDocument[], opts: GradescopeOptions = {}): ExportResult {
  assertUniqueStudents(docs);
  const notes = pendingNote(docs);
  const withManual = docs.find((d) => d.manual.length);
  if (withManual) {
    const auto = autograded(withManual).max;
    notes.push(`Gradescope: the tests add up to the autograded ${formatPoints(auto)} points plus the free-text answers already graded; set the assignment's autograder points to ${formatPoints(auto)} and grade the free-text answers (${pointsText(withManual.maxScore - auto)}) as manually graded questions.`);
  }
  return {
    files: sorted(docs).map((d) => ({ path: `gradescope/${safeName(d.student)}/results.json`, content: json(gradescopeResult(d, opts)) })),
    notes,
  };
}

/** The results.json of the only document (inside Gradescope's autograder, where one submission was graded). */
export function gradescopeSingle(docs: ScoreDocument[], opts: GradescopeOptions = {}): ExportResult {
  if (docs.length !== 1) throw new ExportError(`--single needs exactly one score document; found ${docs.length}.`);
  return { files: [{ path: "results.json", content: json(gradescopeResult(docs[0]!, opts)) }], notes: [] };
}
