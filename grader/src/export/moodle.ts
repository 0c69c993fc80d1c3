// Moodle "Import grades from CSV" (gradebook > Import > CSV file).
// Format followed: https://docs.moodle.org/en/Grade_import (CSV grade import): a header row, then one row per
// user; on the preview page the teacher maps an identifying column ("Map from") to a user field ("Map to":
// Email address = useremail, ID number = useridnumber, ...) and each other column to a grade item or its
// feedback. Grades are plain numbers with "." as the decimal point.
import type { ScoreDocument } from "../grade/score-document.js";
import { type ExportResult, feedbackText, formatPoints, pendingNote, pointsGiven, singleAssignment, sorted } from "./common.js";
import { formatCsv } from "../csv/csv.js";

export interface MoodleOptions {
  /** Header of the identifying column (map it in Moodle to the matching user field). Default "ID number". */
  idColumn?: string;
  /** Header of the grade column. Default: the assignment name. */
  gradeColumn?: string;
  /** Add a feedback column (status, grader messages, manual answers still pending). */
  feedback?: boolean;
}

export function moodleCsv(docs: ScoreDocument[], opts: MoodleOptions = {}): ExportResult {
  const assignment = singleAssignment(docs);
  const gradeColumn = opts.gradeColumn ?? assignment;
  const header = [opts.idColumn ?? "ID number", gradeColumn, ...(opts.feedback ? [`Feedback: ${gradeColumn}`] : [])];
  const rows = [header];
  for (const d of sorted(docs)) rows.push([d.student, formatPoints(pointsGiven(d)), ...(opts.feedback ? [feedbackText(d)] : [])]);
  return { files: [{ path: "moodle.csv", content: formatCsv(rows) }], notes: pendingNote(docs) };
}
