import { mkdir, readFile, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Assignment } from "../assignment/load-assignment.js";
import { gradeIdOf, sourceOf } from "../notebook/nbformat.js";
import { parseNotebook } from "../notebook/read-notebook.js";
import { Answers } from "./answers.js";
import { type Manifest, sha256 } from "./manifest.js";
import { firstErrorLine } from "./cell-errors.js";
import { MAX_SUBMISSION_BYTES } from "../collect/collect-submissions.js";
import { capitalized, cellLabels } from "./cell-labels.js";
import { restore } from "./restore.js";
import { runQuestionTests } from "./run-tests.js";
import type { CellCompiler } from "./compile/cell-compiler.js";
import { type SandboxLimits, runInSandbox } from "./sandbox.js";
import { type Identity, type ManualAnswer, type QuestionScore, type ScoreDocument, type Status, pendingManual, roundPoints, sumScores } from "./score-document.js";
import { decodeValue } from "./values.js";

export interface GradeContext {
  assignment: Assignment;
  reference: unknown;
  /** Parent of the per-submission work folders; inside the project so packages resolve. */
  workRoot: string;
  readable: string[];
  env: Record<string, string>;
  limits: SandboxLimits;
  /** Compiles the cells of every submission of the batch; close it when the batch is done. */
  compiler: CellCompiler;
  graderVersion: string;
  /** What produces the batch's scores, recorded in each document (absent for `validate`). */
  manifest?: Manifest;
}

export interface Submission {
  file: string;
  student: string;
  /** How to name it in the result: a path, or "archive.zip:entry" (default: `file`). */
  source?: string;
  /** Said to the student in the result's messages. */
  notes?: string[];
  /** Said to the staff only, in the result's staffNotes (several files of one student, a late submission, ...). */
  staffNotes?: string[];
  /** Where `student` came from. */
  identity?: Identity;
  /** When the LMS says it was submitted (ISO 8601). */
  submittedAt?: string;
  /** Why it cannot be graded (an unsafe archive entry, no notebook, ...): the result is `invalid` with this message. */
  problem?: string;
}

/** The submission's fingerprint in its score document (and what --resume compares). */
export { sha256 };

/** `workName` names the submission's work folder; `slot` is which of the batch's concurrent jobs grades it. */
export async function gradeSubmission(sub: Submission, ctx: GradeContext, workName: string, slot = 0): Promise<ScoreDocument> {
  const started = Date.now();
  const { assignment } = ctx;
  const doc: ScoreDocument = {
    schemaVersion: 1,
    assignment: assignment.name,
    student: sub.student,
    ...(sub.identity && { identity: sub.identity }),
    status: "invalid",
    score: 0,
    maxScore: roundPoints([...assignment.questions, ...assignment.manual].reduce((a, q) => a + q.maxScore, 0)),
    questions: assignment.questions.map((q) => ({ id: q.id, score: 0, maxScore: q.maxScore, tests: [] })),
    manual: [],
    needsManualGrading: [],
    messages: [],
    staffNotes: [],
    submission: { file: sub.source ?? sub.file, sha256: null, ...(sub.submittedAt !== undefined && { submittedAt: sub.submittedAt }) },
    ...(ctx.manifest && { manifest: ctx.manifest }),
    grader: { version: ctx.graderVersion, sandbox: [] },
  };
  const finish = () => {
    const gradedAt = new Date(started).toISOString();
    return { ...doc, needsManualGrading: pendingManual(doc.manual).map((m) => m.id), timing: { gradedAt, durationMs: Date.now() - started, modifiedAt: gradedAt } };
  };
  const staff = doc.staffNotes!;

  doc.messages.push(...(sub.notes ?? []));
  staff.push(...(sub.staffNotes ?? []));
  if (sub.problem) {
    doc.messages.push(sub.problem);
    return finish();
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(sub.file);
  } catch (e) {
    doc.messages.push(`The submission could not be read: ${(e as Error).message}`);
    return finish();
  }
  doc.submission.sha256 = sha256(bytes);
  if (bytes.length > MAX_SUBMISSION_BYTES) {
    doc.messages.push(`The submission is ${(bytes.length / 1e6).toFixed(1)} MB, over the ${MAX_SUBMISSION_BYTES / 1e6} MB limit; clear the outputs and submit again.`);
    return finish();
  }
  let restored;
  let submitted;
  try {
    submitted = parseNotebook(bytes.toString("utf8"), `The submission ${basename(sub.file)}`);
    restored = restore(assignment, submitted);
  } catch (e) {
    doc.messages.push((e as Error).message);
    return finish();
  }
  doc.messages.push(...restored.messages);
  staff.push(...restored.staffNotes);
  const cells = restored.notebook.cells;
  doc.manual = assignment.manual.map((m): ManualAnswer => {
    const cell = cells.find((c) => gradeIdOf(c) === m.id);
    return { id: m.id, maxScore: m.maxScore, answer: cell ? sourceOf(cell) : "", score: null };
  });

  const codeCells = cells.filter((c) => c.cell_type === "code");
  const labels = cellLabels(codeCells, submitted.cells);
  const workDir = join(ctx.workRoot, workName);
  await mkdir(workDir, { recursive: true });
  let run;
  const compiler = ctx.compiler.session(workDir);
  try {
    const names = [...new Set(assignment.questions.flatMap((q) => q.answers))];
    run = await runInSandbox(codeCells.map(sourceOf), names, { workDir, compiler, slot, readable: ctx.readable, env: { ...ctx.env, HOME: workDir }, limits: ctx.limits, labels });
  } finally {
    compiler.close();
    await rm(workDir, { recursive: true, force: true });
  }
  doc.grader.sandbox = run.layers;
  if (!run.layers.includes("bubblewrap")) {
    staff.push("Graded without an OS sandbox layer (bubblewrap was not available): the notebook's network access was not blocked.");
  }
  if (process.getuid?.() === 0 && !run.layers.includes("unprivileged-user")) {
    staff.push("Graded as root: the project's packages are not readable by other users, so the notebook could not run as an unprivileged user.");
  }
  run.cells.forEach((cell, i) => {
    const label = capitalized(labels[i]!);
    if (cell.timedOut) doc.messages.push(`${label} was interrupted after ${ctx.limits.cellTimeoutMs / 1000} s.`);
    else if (!cell.ok) doc.messages.push(`${label} raised ${firstErrorLine(cell.outputs) ?? "an error"}`);
    if (cell.truncated) doc.messages.push(`${label} printed too much; its output was cut.`);
  });
  const status: Status = run.outcome === "completed" ? "graded" : run.outcome === "timeout" ? "timeout" : "error";
  if (run.failedToStart) {
    // the grader's side failed before any of the student's code ran: the details (paths, flags) are the staff's
    doc.messages.push("The grader could not start your notebook; this is a problem on the grader's side, not in your notebook. The course staff have been told and will grade it again.");
    staff.push(`The sandbox did not start, so this submission was not run; grade it again: ${run.detail}.`);
  } else if (run.detail) doc.messages.push(`Grading stopped: ${run.detail}.`);

  const values = new Map<string, unknown>();
  const problems = new Map<string, string>();
  for (const [name, encoded] of Object.entries(run.values ?? {})) {
    if ("missing" in encoded) {
      problems.set(name, `\`${name}\` has no value when the notebook finishes; complete the cell that computes it.`);
      continue;
    }
    try {
      values.set(name, decodeValue(encoded));
    } catch (e) {
      problems.set(name, `\`${name}\` is ${(e as Error).message}.`);
    }
  }
  if (run.values === null) {
    for (const q of assignment.questions) for (const a of q.answers) problems.set(a, `\`${a}\` could not be read: ${run.failedToStart ? "the grader could not start the notebook" : (run.detail ?? "the notebook did not finish")}.`);
  }
  const state = { answers: new Answers(values, problems), reference: ctx.reference };
  doc.questions = [];
  for (const q of assignment.questions) {
    const tests = await runQuestionTests(q, state);
    doc.questions.push({ id: q.id, score: sumScores(tests.map((t) => ({ score: t.points }))), maxScore: q.maxScore, tests } satisfies QuestionScore);
  }
  doc.score = sumScores(doc.questions);
  doc.status = status;
  return finish();
}
