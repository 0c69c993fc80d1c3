// Moodle: two imports, for two kinds of student id.
//
// 1. moodle-worksheet.csv, for the participant numbers in Moodle's submission downloads ("Jane Doe_98765_
//    assignsubmission_file_"): the assignment's offline grading worksheet (Assignment > View all submissions >
//    Grading action "Upload grading worksheet"; the assignment needs the "Offline grading worksheet" feedback type).
//    Rules of its importer, moodle/moodle mod/assign/feedback/offline/importgradeslib.php and locallib.php
//    (process_import_grades) and importgradesform.php:
//    - columns are found by their headers, in the language of the person importing (get_string): "Identifier"
//      (recordid), "Grade" (gradenoun) and "Last modified (grade)" (lastmodifiedgrade) must all be there or the file
//      is refused ("invalidgradeimport"); a feedback column is found by the feedback plugin's field name, "Feedback
//      comments" for assignfeedback_comments; other columns ("Full name", "Maximum grade") are not read;
//    - "Identifier" is "Participant " followed by the participant number (the importer strips the length of the
//      hiddenuser string, "Participant ", and looks the rest up with get_user_id_for_uniqueid); a row whose
//      participant is unknown is skipped, never an error;
//    - "Grade" is read with unformat_float; a row is skipped when the grade is empty or negative, equal to the
//      current grade, over the assignment's maximum grade, locked, or when Moodle's grade was modified more than
//      60 s after "Last modified (grade)" (read with strtotime) unless the teacher ticks "Allow updating records that
//      have been modified more recently in Moodle than in the spreadsheet"; feedback is imported under the same
//      date rule.
//    So: Grade = points given (scaled to --moodle-max-grade when given), "." as decimal point unless
//    --moodle-decimal-separator ","; Last modified (grade) = when the score last changed (timing.modifiedAt), as
//    ISO 8601 with its offset, which strtotime reads exactly; a later grade typed in Moodle is kept.
//
// 2. moodle.csv, the gradebook's "Import grades > CSV file" (moodle/moodle grade/import/csv/classes/load_data.php):
//    the teacher maps one column to a user field ("Map to": userid = user id, useridnumber = ID number, useremail =
//    email, username); one row whose user is not found aborts the whole import (check_user_exists,
//    "usermappingerror"), and so does a non-numeric grade ("badgrade"). A participant number, a Gradescope id or a
//    file name is none of these fields, so rows are written only for ids from a --roster (identity "lms-id"), which
//    holds the Moodle user field the teacher maps to; the other documents are left out, with a note.
import type { ScoreDocument } from "../grade/score-document.js";
import { roundPoints } from "../grade/score-document.js";
import { type ExportFile, type ExportResult, ExportError, feedbackText, forStudents, formatPoints, pendingNote, pointsGiven, scoreTime, singleAssignment, sorted } from "./common.js";
import { type Roster, applyRoster } from "./roster.js";
import { formatCsv } from "../csv/csv.js";

export interface MoodleOptions {
  /** Header of the identifying column of moodle.csv (map it in Moodle to the matching user field). Default "ID number". */
  idColumn?: string;
  /** Header of the grade column of moodle.csv. Default: the assignment name. */
  gradeColumn?: string;
  /** Add a feedback column to moodle.csv (status, grader messages, manual answers still pending). */
  feedback?: boolean;
  /** The assignment's maximum grade in Moodle when it is not the documents' maxScore: grades are scaled to it. */
  maxGrade?: number;
  /** Decimal separator of the grades: "." (default) or ",". */
  decimalSeparator?: "." | ",";
  /** "Last modified (grade)" for documents without timing (ISO 8601 with a zone). */
  timestamp?: string;
}

/** The worksheet's headers as Moodle's English strings give them (mod/assign/lang/en/assign.php, lang/en/moodle.php). */
export const WORKSHEET_HEADER = ["Identifier", "Full name", "Grade", "Maximum grade", "Last modified (grade)", "Feedback comments"] as const;
/** get_string('hiddenuser', 'assign'): the prefix of the Identifier column. */
export const PARTICIPANT_PREFIX = "Participant ";

/** ISO 8601 with an explicit +00:00 offset and whole seconds (Moodle compares to the minute). */
function worksheetDate(iso: string): string {
  return iso.replace(/\.\d+Z$/, "+00:00").replace(/Z$/, "+00:00");
}

function grade(doc: ScoreDocument, opts: MoodleOptions): string {
  const points = pointsGiven(doc);
  const scaled = opts.maxGrade === undefined ? points : doc.maxScore > 0 ? roundPoints((points / doc.maxScore) * opts.maxGrade) : 0;
  const text = formatPoints(scaled);
  return opts.decimalSeparator === "," ? text.replace(".", ",") : text;
}

/** moodle-worksheet.csv for the documents named by Moodle participant number. */
export function moodleWorksheet(input: ScoreDocument[], opts: MoodleOptions = {}): ExportFile | null {
  const docs = forStudents(input).filter((d) => d.identity?.kind === "moodle-participant-id");
  if (!docs.length) return null;
  const rows: string[][] = [[...WORKSHEET_HEADER]];
  for (const d of sorted(docs)) {
    if (!/^\d+$/.test(d.student)) throw new ExportError(`${JSON.stringify(d.student)} is not a Moodle participant number.`);
    const max = opts.maxGrade ?? d.maxScore;
    rows.push([`${PARTICIPANT_PREFIX}${d.student}`, d.identity?.name ?? "", grade(d, opts), formatPoints(max), worksheetDate(scoreTime(d, opts.timestamp)), feedbackText(d)]);
  }
  return { path: "moodle-worksheet.csv", content: formatCsv(rows) };
}

/** moodle.csv (gradebook import) for the documents whose ids come from a roster. */
export function moodleGradebook(input: ScoreDocument[], opts: MoodleOptions = {}): ExportFile | null {
  const docs = forStudents(input).filter((d) => d.identity?.kind === "lms-id");
  if (!docs.length) return null;
  const assignment = singleAssignment(docs);
  const gradeColumn = opts.gradeColumn ?? assignment;
  const header = [opts.idColumn ?? "ID number", gradeColumn, ...(opts.feedback ? [`Feedback: ${gradeColumn}`] : [])];
  const rows = [header];
  for (const d of sorted(docs)) rows.push([d.student, grade(d, opts), ...(opts.feedback ? [feedbackText(d)] : [])]);
  return { path: "moodle.csv", content: formatCsv(rows) };
}

/**
 * Both Moodle files: the worksheet from the documents as graded (participant numbers are Moodle's own ids, no roster
 * needed), the gradebook CSV from the documents under their roster ids (none without a roster).
 */
export function moodleCsv(graded: ScoreDocument[], opts: MoodleOptions = {}, roster?: Roster): ExportResult {
  singleAssignment(graded);
  const files: ExportFile[] = [];
  const notes = pendingNote(graded);
  const worksheet = moodleWorksheet(graded, opts);
  if (worksheet) files.push(worksheet);
  const book = roster ? moodleGradebook(applyRoster(graded, roster).docs, opts) : null;
  if (book) files.push(book);
  const byParticipant = graded.filter((d) => d.identity?.kind === "moodle-participant-id");
  const neither = graded.filter((d) => d.identity?.kind !== "moodle-participant-id" && !roster?.has(d.student));
  if (byParticipant.length) notes.push(`moodle-worksheet.csv: ${byParticipant.length} submissions by Moodle participant number; upload it as the assignment's grading worksheet.`);
  if (!book) notes.push("moodle.csv was not written: Moodle's gradebook import aborts on the first id it cannot map to a user, and only ids from a --roster (Moodle ID number, email address, username or user id) can be mapped.");
  if (neither.length) notes.push(`${neither.length} submissions are in neither Moodle file (no participant number, not in a roster): ${neither.map((d) => d.student).sort().join(", ")}.`);
  return { files, notes };
}
