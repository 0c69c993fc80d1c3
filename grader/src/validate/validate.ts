// courseware validate: runs a student's notebook the way the grader does (same sandbox, same restore from the
// release) but with the public tests only, and says in plain words what passes, what fails and why.
import { randomBytes } from "node:crypto";
import { readFile, rmdir, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Assignment } from "../assignment/load-assignment.js";
import { UsageError } from "../errors.js";
import { assignmentOfFile, pickAssignment } from "../assignment/pick-assignment.js";
import { gradingContext } from "../grade/grade-batch.js";
import { gradeSubmission } from "../grade/grade-submission.js";
import { preflight } from "../grade/preflight.js";
import { listTests } from "../grade/run-tests.js";
import type { SandboxLimits } from "../grade/sandbox.js";
import { type ScoreDocument, roundPoints, studentView } from "../grade/score-document.js";

export interface ValidateOptions {
  notebook: string;
  projectRoot: string;
  solutionsDir: string;
  assignment?: string;
  limits?: Partial<SandboxLimits>;
}

export interface ValidateResult {
  /** Every public check passed and the notebook ran to the end. */
  ok: boolean;
  report: string;
  /** The student's view of the document (no staff notes): validate is run by students. */
  document: ScoreDocument;
}

/** The assignment with its public tests only: hidden tests and the reference values are left out entirely. */
export function publicPart(assignment: Assignment): Assignment {
  const questions = assignment.questions
    .map((q) => ({ ...q, tests: q.tests.filter((t) => !t.hidden) }))
    .filter((q) => q.tests.length > 0)
    .map((q) => ({ ...q, maxScore: q.tests.reduce((a, t) => a + t.points, 0) }));
  return { ...assignment, questions, referenceCells: [] };
}

export async function validateNotebook(opts: ValidateOptions): Promise<ValidateResult> {
  const info = await stat(opts.notebook).catch(() => null);
  if (!info?.isFile()) throw new UsageError(`No such notebook: ${opts.notebook}`);
  // --assignment, else what the notebook says it is, else the only assignment, else the file's name
  const notebook = [{ file: opts.notebook, label: opts.notebook }];
  const named = opts.assignment ?? (await assignmentOfFile(opts.notebook));
  const full = await pickAssignment(opts.solutionsDir, named, notebook).catch(async (e: Error) => {
    if (named === undefined) return pickAssignment(opts.solutionsDir, basename(opts.notebook).replace(/\.ipynb$/, "")).catch(() => Promise.reject(e));
    throw e;
  });
  const assignment = publicPart(full);
  for (const q of assignment.questions) for (const cell of q.tests) await listTests(cell);
  const ctx = await gradingContext(assignment, {}, opts.projectRoot, opts.limits);
  await preflight(ctx); // a sandbox that cannot start is the installation's problem, not the notebook's
  let doc: ScoreDocument;
  try {
    doc = await gradeSubmission({ file: opts.notebook, student: "you" }, ctx, `validate-${process.pid}-${randomBytes(4).toString("hex")}`);
  } finally {
    await ctx.compiler.close();
    await rmdir(ctx.workRoot).catch(() => undefined);
  }
  const checks = doc.questions.flatMap((q) => q.tests);
  const ok = doc.status === "graded" && checks.every((t) => t.passed);
  const deno = await runsInDeno(opts.notebook);
  return { ok, report: formatReport(doc, full, opts.notebook, deno), document: studentView(doc) };
}

/** Whether the notebook was last run in Deno's kernel (its metadata's kernelspec), which does not check types. */
async function runsInDeno(notebook: string): Promise<boolean> {
  try {
    const spec = (JSON.parse(await readFile(notebook, "utf8")) as { metadata?: { kernelspec?: { name?: unknown; display_name?: unknown } } }).metadata?.kernelspec;
    return [spec?.name, spec?.display_name].some((v) => typeof v === "string" && /\bdeno\b/i.test(v));
  } catch {
    return false;
  }
}

/** A cell that failed on a TypeScript error: tslab's executor prints each one as "line:column - message". */
const TYPE_ERROR = / raised (\S+ )?\d+:\d+ - /;

const points = (n: number) => `${n} ${n === 1 ? "point" : "points"}`;

function formatReport(doc: ScoreDocument, full: Assignment, notebook: string, deno: boolean): string {
  const lines: string[] = [];
  if (doc.status === "invalid") {
    lines.push(`${notebook} could not be checked:`, ...doc.messages.map((m) => `  ${m}`));
    return lines.join("\n");
  }
  const checks = doc.questions.flatMap((q) => q.tests);
  const passed = checks.filter((t) => t.passed).length;
  // points, as the grader counts them (the public checks' share of each question; free-text answers aside)
  const autoScore = roundPoints(doc.questions.reduce((a, q) => a + q.score, 0));
  const autoMax = roundPoints(doc.questions.reduce((a, q) => a + q.maxScore, 0));
  lines.push(`${basename(notebook)}: ${passed} of ${checks.length} public checks pass (${autoScore} of ${points(autoMax)} from the public checks).`);
  const width = Math.max(...doc.questions.map((q) => q.id.length), 8);
  for (const q of doc.questions) {
    const ok = q.tests.every((t) => t.passed);
    lines.push("", `  ${q.id.padEnd(width)}  ${q.score} / ${points(q.maxScore)}${ok ? "  ✓" : ""}`);
    for (const t of q.tests) {
      lines.push(`    ${t.passed ? "✓" : "✗"} ${t.name} (${t.points} / ${points(t.maxPoints)})`);
      if (!t.passed) lines.push(`        ${t.message}`);
    }
  }
  if (doc.messages.length) lines.push("", "While running the notebook:", ...doc.messages.map((m) => `  ${m}`));
  if (deno && doc.messages.some((m) => TYPE_ERROR.test(m))) {
    lines.push(
      "",
      "This notebook was run in the Deno kernel, which runs TypeScript without checking its types. The grader checks them, as the tslab kernel does, and a cell with a type error does not run. Fix the type errors above, or open the notebook in the tslab kernel to see them as you work.",
    );
  }
  const unanswered = doc.manual.filter((m) => /YOUR ANSWER HERE/.test(m.answer) || m.answer.trim() === "");
  if (full.manual.length) {
    lines.push(
      "",
      `Free-text answers are graded by a person (${full.manual.map((m) => m.id).join(", ")}); ` +
        (unanswered.length ? `not answered yet: ${unanswered.map((m) => m.id).join(", ")}.` : "all answered."),
    );
  }
  const hidden = full.questions.reduce((n, q) => n + q.tests.filter((t) => t.hidden).length, 0);
  if (hidden) lines.push(`The grader also runs ${hidden} hidden test cell${hidden === 1 ? "" : "s"}: passing the public checks does not guarantee full marks.`);
  return lines.join("\n");
}
