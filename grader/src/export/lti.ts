// LTI Advantage Assignment and Grade Services (AGS) 2.0: score publish service payloads.
// Format followed: https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service
// (media type application/vnd.ims.lis.v1.score+json): `userId`, `timestamp` (ISO 8601 with sub-second precision
// and a time zone), `activityProgress` (Initialized | Started | InProgress | Submitted | Completed) and
// `gradingProgress` (FullyGraded | Pending | PendingManual | Failed | NotReady) are required; `scoreGiven`
// (>= 0) is optional and, when present, needs `scoreMaximum` (> 0); `comment` is optional plain text.
import type { ScoreDocument } from "../grade/score-document.js";
import { pendingManual } from "../grade/score-document.js";
import { type ExportResult, ExportError, assertUniqueStudents, feedbackText, json, pendingNote, pointsGiven, safeName, sorted } from "./common.js";

export const ACTIVITY_PROGRESS = ["Initialized", "Started", "InProgress", "Submitted", "Completed"] as const;
export const GRADING_PROGRESS = ["FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"] as const;
export type ActivityProgress = (typeof ACTIVITY_PROGRESS)[number];
export type GradingProgress = (typeof GRADING_PROGRESS)[number];

export interface LtiScore {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  timestamp: string;
  activityProgress: ActivityProgress;
  gradingProgress: GradingProgress;
}

export interface LtiOptions {
  /** Used for documents without timing.gradedAt; ISO 8601 with a time zone. */
  timestamp?: string;
  /** Default "Completed" (the student handed the notebook in); "Submitted" where resubmission stays open. */
  activityProgress?: "Submitted" | "Completed";
}

/** ISO 8601 date-time with a time zone (Z or ±hh:mm), as the spec requires. */
export const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * gradingProgress: "Failed" for an invalid notebook (it could not be graded; no score is sent),
 * "PendingManual" while a manual answer has no score, "FullyGraded" otherwise (error and timeout included:
 * the tests did run, on what the notebook computed before it stopped; the comment says so).
 */
export function ltiScore(doc: ScoreDocument, opts: LtiOptions = {}): LtiScore {
  const timestamp = doc.timing?.gradedAt ?? opts.timestamp;
  if (timestamp === undefined) throw new ExportError(`The score document of ${JSON.stringify(doc.student)} has no timing.gradedAt; pass --timestamp.`);
  if (!ISO_WITH_ZONE.test(timestamp) || Number.isNaN(Date.parse(timestamp))) throw new ExportError(`${JSON.stringify(timestamp)} is not an ISO 8601 date-time with a time zone.`);
  const comment = feedbackText(doc);
  const base = { userId: doc.student, timestamp, activityProgress: opts.activityProgress ?? "Completed" } as const;
  if (doc.status === "invalid") return { ...base, ...(comment && { comment }), gradingProgress: "Failed" };
  const gradingProgress: GradingProgress = pendingManual(doc.manual).length ? "PendingManual" : "FullyGraded";
  const score = doc.maxScore > 0 ? { scoreGiven: pointsGiven(doc), scoreMaximum: doc.maxScore } : {};
  return { ...base, ...score, ...(comment && { comment }), gradingProgress };
}

/** One `lti/<student>.json` per document: the body to POST to `<lineitem>/scores`. */
export function ltiScores(docs: ScoreDocument[], opts: LtiOptions = {}): ExportResult {
  assertUniqueStudents(docs);
  return { files: sorted(docs).map((d) => ({ path: `lti/${safeName(d.student)}.json`, content: json(ltiScore(d, opts)) })), notes: pendingNote(docs) };
}
