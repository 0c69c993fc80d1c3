// LTI Advantage Assignment and Grade Services (AGS) 2.0: score publish service payloads.
// Format followed: https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service
// (media type application/vnd.ims.lis.v1.score+json): `userId`, `timestamp` (ISO 8601 with sub-second precision
// and a time zone), `activityProgress` (Initialized | Started | InProgress | Submitted | Completed) and
// `gradingProgress` (FullyGraded | Pending | PendingManual | Failed | NotReady) are required; `scoreGiven`
// (>= 0) is optional and, when present, needs `scoreMaximum` (> 0); `comment` is optional plain text;
// `submission: { startedAt?, submittedAt? }` is optional metadata on the attempt.
// Rules a platform applies, and why this exporter does what it does:
// - a score whose timestamp is not later than the one on record is refused (Canvas answers 400 "Provided timestamp
//   ... before last updated timestamp", instructure/canvas-lms app/controllers/lti/ims/scores_controller.rb
//   verify_valid_timestamp), so `timestamp` is when the score last changed (timing.modifiedAt, which the grader makes
//   strictly increasing for a student across regrades and manual merges), in UTC with milliseconds;
// - a score without scoreGiven clears the student's grade (AGS: scoreGiven absent means no score; Canvas: for
//   gradingProgress Failed, Pending or NotReady, or a missing scoreGiven, "submission.update(score: nil)" in the same
//   controller), so an unreadable notebook gets no payload at all: the grade the platform has stays, and the export
//   lists the student in lti-skipped.json and a note for the staff to follow up.
import type { ScoreDocument } from "../grade/score-document.js";
import { pendingManual } from "../grade/score-document.js";
import {
  ExportError,
  type ExportFile,
  type ExportResult,
  ISO_WITH_ZONE,
  assertUniqueStudents,
  feedbackText,
  forStudents,
  isoMillis,
  json,
  pendingNote,
  pointsGiven,
  safeName,
  scoreTime,
  sorted,
} from "./common.js";

export { ISO_WITH_ZONE } from "./common.js";

export const ACTIVITY_PROGRESS = ["Initialized", "Started", "InProgress", "Submitted", "Completed"] as const;
export const GRADING_PROGRESS = ["FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"] as const;
export type ActivityProgress = (typeof ACTIVITY_PROGRESS)[number];
export type GradingProgress = (typeof GRADING_PROGRESS)[number];

export interface LtiScore {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  comment?: string;
  timestamp: string;
  activityProgress: ActivityProgress;
  gradingProgress: GradingProgress;
  submission?: { submittedAt: string };
}

export interface LtiOptions {
  /** Used for documents without timing; ISO 8601 with a time zone (normalised to UTC with milliseconds). */
  timestamp?: string;
  /** Default "Completed" (the student handed the notebook in); "Submitted" where resubmission stays open. */
  activityProgress?: "Submitted" | "Completed";
}

/** Why a document gets no payload (its grade in the platform is left as it is), or null when it gets one. */
export function ltiSkipReason(doc: ScoreDocument): string | null {
  if (doc.status === "invalid") return "not a gradable notebook";
  if (!(doc.maxScore > 0)) return "the assignment has no points (AGS needs scoreMaximum > 0)";
  return null;
}

/**
 * The score payload of a gradable document: "PendingManual" while a free-text answer has no score, "FullyGraded"
 * otherwise (error and timeout included: the tests did run, on what the notebook computed before it stopped; the
 * comment says so). Throws for a document that must get no payload (ltiSkipReason).
 */
export function ltiScore(doc: ScoreDocument, opts: LtiOptions = {}): LtiScore {
  const skip = ltiSkipReason(doc);
  if (skip) throw new ExportError(`No LTI score is sent for ${JSON.stringify(doc.student)}: ${skip}.`);
  const view = forStudents([doc])[0]!;
  const timestamp = scoreTime(view, opts.timestamp);
  const comment = feedbackText(view);
  const submittedAt = view.submission.submittedAt;
  return {
    userId: view.student,
    scoreGiven: pointsGiven(view),
    scoreMaximum: view.maxScore,
    ...(comment && { comment }),
    timestamp,
    activityProgress: opts.activityProgress ?? "Completed",
    gradingProgress: pendingManual(view.manual).length ? "PendingManual" : "FullyGraded",
    ...(submittedAt !== undefined && { submission: { submittedAt: isoMillis(submittedAt) } }),
  };
}

/**
 * One `lti/<student>.json` per gradable document: the body to POST to `<lineitem>/scores`. Documents that get no
 * payload are listed in `lti-skipped.json` (student, reason, the message the student should be given) and a note.
 */
export function ltiScores(docs: ScoreDocument[], opts: LtiOptions = {}): ExportResult {
  assertUniqueStudents(docs);
  const files: ExportFile[] = [];
  const skipped: Array<{ userId: string; reason: string; message: string }> = [];
  for (const d of sorted(docs)) {
    const reason = ltiSkipReason(d);
    if (reason) skipped.push({ userId: d.student, reason, message: feedbackText(forStudents([d])[0]!) });
    else files.push({ path: `lti/${safeName(d.student)}.json`, content: json(ltiScore(d, opts)) });
  }
  const notes = pendingNote(docs);
  if (skipped.length) {
    files.push({ path: "lti-skipped.json", content: json(skipped) });
    notes.push(
      `${skipped.length} submissions got no LTI score (a score without scoreGiven would clear the grade the platform already has): ${skipped.map((s) => `${s.userId} (${s.reason})`).join(", ")}; see lti-skipped.json and tell them.`,
    );
  }
  return { files, notes };
}

/** Checks a --timestamp value: ISO 8601 with a zone. */
export function validTimestamp(t: string): boolean {
  return ISO_WITH_ZONE.test(t) && !Number.isNaN(Date.parse(t));
}

