// Step 6, score: the score document, started before the first step (what is known of the submission) and finished
// after the last (points, pending free-text answers, timing).
import type { GradeContext, Submission } from "../grade-submission.js";
import { type ScoreDocument, laterTimestamp, pendingManual, roundPoints } from "../score-document.js";
import type { Notes } from "./notes.js";

/** The document of a submission not graded yet: `invalid`, no points, every question at 0. */
export function startDocument(sub: Submission, ctx: GradeContext): ScoreDocument {
  const { assignment } = ctx;
  return {
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
    messages: [...(sub.notes ?? [])],
    staffNotes: [...(sub.staffNotes ?? [])],
    submission: { file: sub.source ?? sub.file, sha256: null, ...(sub.submittedAt !== undefined && { submittedAt: sub.submittedAt }) },
    ...(ctx.manifest && { manifest: ctx.manifest }),
    grader: { version: ctx.graderVersion, sandbox: [] },
  };
}

/** Adds a step's messages and staff notes to the document. */
export function addNotes(doc: ScoreDocument, notes: Notes): void {
  doc.messages.push(...notes.messages);
  doc.staffNotes!.push(...notes.staffNotes);
}

/**
 * The finished document: what still needs a person, when it was graded (`started`, ms), how long it took, and when
 * its score changed: at grading, or just after `replaces` (the time of the document it replaces) if that is later.
 */
export function finishDocument(doc: ScoreDocument, started: number, replaces?: string): ScoreDocument {
  const gradedAt = new Date(started).toISOString();
  const modifiedAt = replaces === undefined ? gradedAt : laterTimestamp(replaces, new Date(started));
  return { ...doc, needsManualGrading: pendingManual(doc.manual).map((m) => m.id), timing: { gradedAt, durationMs: Date.now() - started, modifiedAt } };
}
