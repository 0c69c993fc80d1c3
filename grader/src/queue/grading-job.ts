// One grading job on the queue: the submission with its bytes (workers need no shared disk), the assignment and
// the batch's manifest (what a worker must agree with before it grades). Its id is a hash of all of it, so a batch
// submitted again finds the jobs it already has instead of grading the same thing twice.
import { basename } from "node:path";
import type { Submission } from "../grade/grade-submission.js";
import type { SandboxLimits } from "../grade/sandbox.js";
import { type Manifest, sha256 } from "../grade/manifest.js";
import type { ScoreDocument } from "../grade/score-document.js";

export const QUEUE_NAME = "courseware-grading";

/**
 * How often a job is tried: when grading it fails, or when its worker dies in it (BullMQ's stalled-job check, which
 * notices a worker's lock running out, counts a dead worker). A submission that kills every worker it meets thus
 * ends as an error after this many workers.
 */
export const ATTEMPTS = 3;

export interface GradingJob {
  assignment: string;
  manifest: Manifest;
  /** The submission as the coordinator names it; `notebook` holds the file's bytes, base64. */
  submission: Omit<Submission, "file" | "problem"> & { fileName: string; notebook: string; limits: Partial<SandboxLimits> };
}

export type GradingResult = ScoreDocument;

/** The batch's time limits go with the job (the compile time limit is the worker's own). */
export function gradingJob(assignment: string, manifest: Manifest, sub: Submission & { source: string }, bytes: Buffer, limits: Partial<SandboxLimits>): GradingJob {
  const { file, problem: _problem, ...rest } = sub;
  return { assignment, manifest, submission: { ...rest, fileName: basename(file), notebook: bytes.toString("base64"), limits } };
}

/** Content-addressed: the same submission, assignment and manifest give the same id. */
export function jobIdOf(job: GradingJob): string {
  return `grade-${sha256(JSON.stringify(job))}`;
}

/** Why a worker would not grade a job: it does not grade with other tests, model, grader or sandbox. */
export const REFUSAL = "courseware-worker-refused:";
