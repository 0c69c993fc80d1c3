import type { Assignment } from "../assignment/load-assignment.js";
import type { CellCompiler } from "./compile/cell-compiler.js";
import type { Manifest } from "./manifest.js";
import type { SandboxLimits } from "./sandbox.js";
import { type Identity, type ScoreDocument, sumScores } from "./score-document.js";
import { executeNotebook } from "./steps/execute.js";
import { handOverValues } from "./steps/hand-over.js";
import { isStop } from "./steps/notes.js";
import { readSubmission } from "./steps/read.js";
import { rebuildNotebook } from "./steps/rebuild.js";
import { addNotes, finishDocument, startDocument } from "./steps/score.js";
import { testAnswers } from "./steps/test-answers.js";

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
  /** The modification time of the document this grading replaces: the new one's is later (timing.modifiedAt). */
  replaces?: string;
}


/**
 * Grades one submission as a row of steps, each a module of steps/ with its own input and output: read the file,
 * rebuild the notebook from the release, execute it in a sandbox, hand over the answer values, test them, score.
 * A step that stops (an unreadable file, not a notebook) leaves the document `invalid` with its reason.
 * `workName` names the submission's work folder; `slot` is which of the batch's concurrent jobs grades it.
 */
export async function gradeSubmission(sub: Submission, ctx: GradeContext, workName: string, slot = 0): Promise<ScoreDocument> {
  const started = Date.now();
  const doc = startDocument(sub, ctx);

  const read = await readSubmission(sub);
  if (read.sha256 !== undefined) doc.submission.sha256 = read.sha256;
  if (isStop(read)) return addNotes(doc, read), finishDocument(doc, started, sub.replaces);

  const notebook = rebuildNotebook(ctx.assignment, read.bytes, sub.file);
  addNotes(doc, notebook);
  if (isStop(notebook)) return finishDocument(doc, started, sub.replaces);
  doc.manual = notebook.manual;
  doc.answerCells = notebook.answerCells;

  const executed = await executeNotebook(notebook, ctx, workName, slot);
  doc.grader.sandbox = executed.run.layers;
  addNotes(doc, executed);

  const answers = handOverValues(executed.run, ctx.assignment);
  doc.questions = await testAnswers(ctx.assignment, answers, ctx.reference);
  doc.score = sumScores(doc.questions);
  doc.status = executed.status;
  return finishDocument(doc, started, sub.replaces);
}
