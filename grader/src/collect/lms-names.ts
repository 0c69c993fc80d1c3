// Student ids from the file names LMSs give downloaded submissions.
//   Canvas:     <name>_[late_]<userId>_<submissionId>_<original name>[-<n>].ipynb   e.g. doejane_late_1234_56789_hw-1.ipynb
//   Moodle:     folder "<Full Name>_<participantId>_assignsubmission_file_/<original name>"
//   Gradescope: folder "submission_<submissionId>/<original name>" (submission_metadata.yml beside it names the
//               submitters: collect/gradescope-metadata.ts)
// Anything else: the file name without its extension.

import type { IdentityKind } from "../grade/score-document.js";

export interface NamedSubmission {
  student: string;
  /** The LMS the name came from, when recognised. */
  lms?: "canvas" | "moodle" | "gradescope";
  /** What kind of id `student` is. */
  kind: IdentityKind;
  /** The student's name in the download name: Canvas's "doejane", Moodle's "Jane Doe". */
  name?: string;
  /** Canvas numbers a resubmission's file "-1", "-2", ...: higher is later. */
  attempt: number;
  late: boolean;
}

const CANVAS = /^([a-z0-9]+)_(late_)?(\d+)_(\d+)_(.+?)(?:-(\d+))?\.[^.]+$/i;
const MOODLE = /(?:^|\/)([^/]+)_(\d+)_assignsubmission_(?:file|onlinetext)_\/[^/]+$/;
const GRADESCOPE = /(?:^|\/)submission_(\d+)\/(?:.+\/)?[^/]+$/;

/** `path` is relative to the folder or archive it came from, with "/" separators. */
export function studentFromPath(path: string): NamedSubmission {
  const file = path.split("/").pop()!;
  const moodle = MOODLE.exec(path);
  if (moodle) return { student: moodle[2]!, lms: "moodle", kind: "moodle-participant-id", name: moodle[1]!, attempt: 0, late: false };
  const gradescope = GRADESCOPE.exec(path);
  if (gradescope) return { student: `submission_${gradescope[1]}`, lms: "gradescope", kind: "gradescope-submission", attempt: 0, late: false };
  const canvas = CANVAS.exec(file);
  if (canvas) return { student: canvas[3]!, lms: "canvas", kind: "canvas-user-id", name: canvas[1]!, attempt: canvas[6] ? Number(canvas[6]) : 0, late: !!canvas[2] };
  return { student: file.replace(/\.[^.]*$/, ""), kind: "file-name", attempt: 0, late: false };
}
