// Canvas gradebook import CSV.
// Format followed: the layout of Canvas's own gradebook export, which its importer reads back; the rules are those
// of the importer, instructure/canvas-lms lib/gradebook_importer.rb:
// - the header row must start with a column containing "Student" then one containing "ID"; "SIS User ID" and
//   "SIS Login ID" may follow (then "Integration ID", "Root Account"), and the last student column must be
//   "Section" (header?, update_column_count); every later column is an assignment, matched by "Name (id)" to an
//   existing assignment, or else by its name; a header Canvas does not know becomes a new assignment
//   (parse_assignments);
// - a row whose first cell contains "Points Possible" gives the points of new assignments (process_pp);
// - a row is matched to a student (process_student) by ID = the Canvas user id, else by SIS User ID, else by SIS
//   Login ID (Integration ID is never used to match), else by the Student column equal to the student's name or
//   sortable name; a row that matches nobody is a student Canvas does not know, which the import page lists
//   instead of importing;
// - a cell "" or "-" is no score; a number may use "." or "," as decimal point (decimal_comma_to_period).
// So each document's id goes in the column that can match it, given where the id came from (its `identity`):
//   canvas-user-id (from a Canvas download name) -> ID;   gradescope-sid, lms-id (a --roster id) and documents
//   without identity (older graders) -> SIS User ID;   gradescope-email, file-name -> SIS Login ID;
//   moodle-participant-id and gradescope-submission can never be a Canvas id (a Moodle participant number in the ID
//   column could even be another student's user id): those rows are left out, with a note.
// `Student` is the student's name where one is known (the roster's, or the download name such as "doejane"):
// Canvas matches on it only when no id matches.
import type { IdentityKind, ScoreDocument } from "../grade/score-document.js";
import { type ExportResult, forStudents, formatPoints, pendingNote, pointsGiven, singleAssignment, sorted } from "./common.js";
import { formatCsv } from "../csv/csv.js";

export const CANVAS_ID_COLUMNS = ["ID", "SIS User ID", "SIS Login ID"] as const;
export type CanvasIdColumn = (typeof CANVAS_ID_COLUMNS)[number];

export interface CanvasOptions {
  /** The assignment column header; Canvas matches "Name (id)" to an existing assignment. Default: the assignment name. */
  column?: string;
  /** The identity column for every row, whatever the documents' identity. Default: by identity (canvasIdColumn). */
  idColumn?: CanvasIdColumn;
  /** Section written on every row. Default empty. */
  section?: string;
  /** The Student column's text by student id (from a roster); default: the document's identity name. */
  names?: Map<string, string>;
}

export const CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] as const;

/** Canvas's exports write the points row with this label (leading spaces included). */
export const CANVAS_POINTS_LABEL = "    Points Possible";

const BY_KIND: Record<IdentityKind, CanvasIdColumn | null> = {
  "canvas-user-id": "ID",
  "gradescope-sid": "SIS User ID",
  "lms-id": "SIS User ID",
  "gradescope-email": "SIS Login ID",
  "file-name": "SIS Login ID",
  "moodle-participant-id": null,
  "gradescope-submission": null,
};

/** The column a document's id goes in by default, or null when Canvas can never match it. */
export function canvasIdColumn(doc: ScoreDocument): CanvasIdColumn | null {
  return doc.identity ? BY_KIND[doc.identity.kind] : "SIS User ID";
}

export function canvasCsv(input: ScoreDocument[], opts: CanvasOptions = {}): ExportResult {
  const docs = forStudents(input);
  const assignment = singleAssignment(docs);
  const column = opts.column ?? assignment;
  const maxScores = [...new Set(docs.map((d) => d.maxScore))];
  const notes = pendingNote(docs);
  if (maxScores.length > 1) notes.push(`The documents disagree on the points possible (${maxScores.join(", ")}); the row "Points Possible" shows the largest.`);
  const rows: string[][] = [
    [...CANVAS_HEADER, column],
    [CANVAS_POINTS_LABEL, "", "", "", "", formatPoints(Math.max(...maxScores))],
  ];
  const unmatchable: string[] = [];
  for (const d of sorted(docs)) {
    const byKind = canvasIdColumn(d);
    if (byKind === null) {
      unmatchable.push(d.student);
      continue;
    }
    const ids: Record<CanvasIdColumn, string> = { ID: "", "SIS User ID": "", "SIS Login ID": "" };
    ids[opts.idColumn ?? byKind] = d.student;
    const name = opts.names?.get(d.student) ?? d.identity?.name ?? "";
    rows.push([name, ids.ID, ids["SIS User ID"], ids["SIS Login ID"], opts.section ?? "", formatPoints(pointsGiven(d))]);
  }
  if (unmatchable.length) {
    notes.push(
      `canvas.csv leaves out ${unmatchable.length} submissions whose ids Canvas cannot match (Moodle participant numbers or Gradescope submission folders): ${unmatchable.join(", ")}; give --roster with their Canvas ids.`,
    );
  }
  return { files: [{ path: "canvas.csv", content: formatCsv(rows) }], notes };
}
