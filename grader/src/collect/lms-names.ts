// Student ids from the file names LMSs give downloaded submissions.
//   Canvas:     <name>_[late_]<userId>_<submissionId>_<original name>[-<n>].ipynb   e.g. doejane_late_1234_56789_hw-1.ipynb
//   Moodle:     folder "<Full Name>_<participantId>_assignsubmission_file_/<original name>"
//   Gradescope: folder "submission_<submissionId>/<original name>" (submission_metadata.yml beside it names the
//               submitters: collect/gradescope-metadata.ts)
// Anything else: the file name without its extension.

export interface NamedSubmission {
  student: string;
  /** The LMS the name came from, when recognised. */
  lms?: "canvas" | "moodle" | "gradescope";
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
  if (moodle) return { student: moodle[2]!, lms: "moodle", attempt: 0, late: false };
  const gradescope = GRADESCOPE.exec(path);
  if (gradescope) return { student: `submission_${gradescope[1]}`, lms: "gradescope", attempt: 0, late: false };
  const canvas = CANVAS.exec(file);
  if (canvas) return { student: canvas[3]!, lms: "canvas", attempt: canvas[6] ? Number(canvas[6]) : 0, late: !!canvas[2] };
  return { student: file.replace(/\.[^.]*$/, ""), attempt: 0, late: false };
}
