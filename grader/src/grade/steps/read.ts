// Step 1, read: the submission's bytes and fingerprint, or why there are none to grade.
import { readFile } from "node:fs/promises";
import { MAX_SUBMISSION_BYTES } from "../../collect/collect-submissions.js";
import type { Submission } from "../grade-submission.js";
import { sha256 } from "../manifest.js";
import { type Stop, stop } from "./notes.js";

export interface Read {
  bytes: Buffer;
  sha256: string;
}

/** `sha256` is set whenever the file could be read, even when it is then refused (it is recorded). */
export async function readSubmission(sub: Submission): Promise<Read | (Stop & { sha256?: string })> {
  if (sub.problem) return stop(sub.problem);
  let bytes: Buffer;
  try {
    bytes = await readFile(sub.file);
  } catch (e) {
    return stop(`The submission could not be read: ${(e as Error).message}`);
  }
  const hash = sha256(bytes);
  if (bytes.length > MAX_SUBMISSION_BYTES) {
    return { ...stop(`The submission is ${(bytes.length / 1e6).toFixed(1)} MB, over the ${MAX_SUBMISSION_BYTES / 1e6} MB limit; clear the outputs and submit again.`), sha256: hash };
  }
  return { bytes, sha256: hash };
}
