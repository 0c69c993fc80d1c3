// Canvas gradebook import CSV.
// Format followed: the layout of Canvas's own gradebook export, which Canvas's import reads back: the columns
// Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment named "Assignment name (id)"
// (Canvas matches the column to an assignment by that name; a name it does not know creates a new assignment),
// and a second row "Points Possible".
// Sources: https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades
// (required columns: Student / ID / SIS User ID, SIS Login ID, Section, assignment name) and the Canvas guide
// "How do I import grades in the Gradebook?" (community.canvaslms.com, Instructor Guide).
import type { ScoreDocument } from "../grade/score-document.js";
import { type ExportResult, formatPoints, pendingNote, pointsGiven, singleAssignment, sorted } from "./common.js";
import { formatCsv } from "../csv/csv.js";

export const CANVAS_ID_COLUMNS = ["ID", "SIS User ID", "SIS Login ID"] as const;
export type CanvasIdColumn = (typeof CANVAS_ID_COLUMNS)[number];

export interface CanvasOptions {
  /** The assignment column header; Canvas matches "Name (id)" to an existing assignment. Default: the assignment name. */
  column?: string;
  /** Which identity column holds the score document's student id. Default "SIS User ID". */
  idColumn?: CanvasIdColumn;
  /** Section written on every row. Default empty. */
  section?: string;
  /** The Student column's text by student id (from a roster); default: the id. */
  names?: Map<string, string>;
}

export const CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] as const;

/** Canvas's exports write the points row with this label (leading spaces included). */
export const CANVAS_POINTS_LABEL = "    Points Possible";

export function canvasCsv(docs: ScoreDocument[], opts: CanvasOptions = {}): ExportResult {
  const assignment = singleAssignment(docs);
  const column = opts.column ?? assignment;
  const idColumn = opts.idColumn ?? "SIS User ID";
  const maxScores = [...new Set(docs.map((d) => d.maxScore))];
  const notes = pendingNote(docs);
  if (maxScores.length > 1) notes.push(`The documents disagree on the points possible (${maxScores.join(", ")}); the row "Points Possible" shows the largest.`);
  const rows: string[][] = [
    [...CANVAS_HEADER, column],
    [CANVAS_POINTS_LABEL, "", "", "", "", formatPoints(Math.max(...maxScores))],
  ];
  for (const d of sorted(docs)) {
    const ids: Record<CanvasIdColumn, string> = { ID: "", "SIS User ID": "", "SIS Login ID": "" };
    ids[idColumn] = d.student;
    rows.push([opts.names?.get(d.student) ?? d.student, ids.ID, ids["SIS User ID"], ids["SIS Login ID"], opts.section ?? "", formatPoints(pointsGiven(d))]);
  }
  return { files: [{ path: "canvas.csv", content: formatCsv(rows) }], notes };
}
