import { readFile, stat } from "node:fs/promises";
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { ScoreDocument } from "../grade/score-document.js";
import { CANVAS_ID_COLUMNS, type CanvasIdColumn, canvasCsv } from "./canvas.js";
import { type ExportFile, type ExportResult, singleAssignment } from "./common.js";
import { HIDDEN_VISIBILITIES, type HiddenVisibility, OUTPUT_FORMATS, type OutputFormat, VISIBILITIES, type Visibility, type GradescopeOptions, gradescopeResults, gradescopeSingle } from "./gradescope.js";
import { gradescopeBundle } from "./gradescope-bundle.js";
import { ltiScores, validTimestamp } from "./lti.js";
import { moodleCsv } from "./moodle.js";
import { prairieLearnResults } from "./prairielearn.js";
import { type Roster, applyRoster, parseRoster } from "./roster.js";
import { readGrades } from "../grade/read-grades.js";
import { writeExportFiles } from "./write.js";

export const EXPORT_FORMATS = ["canvas", "moodle", "gradescope", "prairielearn", "lti", "all"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  canvasColumn?: string;
  canvasIdColumn?: string;
  canvasSection?: string;
  moodleIdColumn?: string;
  moodleGradeColumn?: string;
  moodleFeedback?: boolean;
  moodleMaxGrade?: string;
  moodleDecimalSeparator?: string;
  hiddenVisibility?: string;
  gradescopeVisibility?: string;
  stdoutVisibility?: string;
  gradescopeFormat?: string;
  single?: boolean;
  timestamp?: string;
  activityProgress?: string;
  /** Exports use each student's LMS id from this roster, and leave out the students it does not list. */
  roster?: Roster;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}; got "${value}".`);
  return value as T;
}

/** The files of one format (or all of them) for these documents: a pure function of its arguments. */
export function exportFormat(format: string, docs: ScoreDocument[], opts: ExportOptions = {}): ExportResult {
  const fmt = oneOf(format, EXPORT_FORMATS, "The format");
  const hiddenVisibility = oneOf<HiddenVisibility>(opts.hiddenVisibility, HIDDEN_VISIBILITIES, "--hidden-visibility");
  const visibility = oneOf<Visibility>(opts.gradescopeVisibility, VISIBILITIES, "--gradescope-visibility");
  const stdoutVisibility = oneOf<Visibility>(opts.stdoutVisibility, VISIBILITIES, "--stdout-visibility");
  const outputFormat = oneOf<OutputFormat>(opts.gradescopeFormat, OUTPUT_FORMATS, "--gradescope-format");
  const activityProgress = oneOf(opts.activityProgress, ["Submitted", "Completed"] as const, "--activity-progress");
  const decimalSeparator = oneOf(opts.moodleDecimalSeparator, [".", ","] as const, "--moodle-decimal-separator");
  const maxGrade = opts.moodleMaxGrade === undefined ? undefined : Number(opts.moodleMaxGrade);
  if (maxGrade !== undefined && !(Number.isFinite(maxGrade) && maxGrade > 0)) throw new UsageError(`--moodle-max-grade must be a number above 0; got "${opts.moodleMaxGrade}".`);
  if (opts.timestamp !== undefined && !validTimestamp(opts.timestamp)) throw new UsageError(`--timestamp must be an ISO 8601 date-time with a time zone, such as 2025-01-31T12:00:00.000Z; got "${opts.timestamp}".`);
  if (opts.single && fmt !== "gradescope") throw new UsageError("--single is for the gradescope format only.");
  const gs: GradescopeOptions = {
    ...(hiddenVisibility && { hiddenVisibility }),
    ...(visibility && { visibility }),
    ...(stdoutVisibility && { stdoutVisibility }),
    ...(outputFormat && { format: outputFormat }),
  };
  const graded = docs;
  const parts: ExportResult[] = [];
  let names: Map<string, string> | undefined;
  if (opts.roster) {
    const mapped = applyRoster(docs, opts.roster);
    ({ docs, names } = mapped);
    parts.push({ files: [], notes: mapped.notes });
  }
  if (fmt === "canvas" || fmt === "all") {
    const idColumn = oneOf<CanvasIdColumn>(opts.canvasIdColumn, CANVAS_ID_COLUMNS, "--canvas-id-column");
    parts.push(canvasCsv(docs, { ...(opts.canvasColumn !== undefined && { column: opts.canvasColumn }), ...(idColumn && { idColumn }), ...(opts.canvasSection !== undefined && { section: opts.canvasSection }), ...(names && { names }) }));
  }
  if (fmt === "moodle" || fmt === "all") {
    const moodle = {
      ...(opts.moodleIdColumn !== undefined && { idColumn: opts.moodleIdColumn }),
      ...(opts.moodleGradeColumn !== undefined && { gradeColumn: opts.moodleGradeColumn }),
      feedback: !!opts.moodleFeedback,
      ...(maxGrade !== undefined && { maxGrade }),
      ...(decimalSeparator && { decimalSeparator }),
      ...(opts.timestamp !== undefined && { timestamp: opts.timestamp }),
    };
    // participant numbers are Moodle's own ids: the worksheet is made from the documents as graded
    parts.push(moodleCsv(graded, moodle, opts.roster));
  }
  if (fmt === "gradescope" && opts.single) {
    parts.push(gradescopeSingle(docs, gs));
  } else if (fmt === "gradescope" || fmt === "all") {
    parts.push(gradescopeResults(docs, gs));
    const assignments = [...new Set(docs.map((d) => d.assignment))];
    parts.push({ files: gradescopeBundle({ ...gs, ...(assignments.length === 1 && { assignment: singleAssignment(docs) }) }), notes: [] });
  }
  if (fmt === "prairielearn" || fmt === "all") parts.push(prairieLearnResults(docs));
  if (fmt === "lti" || fmt === "all") parts.push(ltiScores(docs, { ...(opts.timestamp !== undefined && { timestamp: opts.timestamp }), ...(activityProgress && { activityProgress }) }));
  const files: ExportFile[] = parts.flatMap((p) => p.files);
  const notes = [...new Set(parts.flatMap((p) => p.notes))];
  return { files, notes };
}

/** Adds `courseware export <format> --from <grades> --out <dir>` to the CLI. */
export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description(`convert score documents (<grades>/students/*.json) for an LMS: ${EXPORT_FORMATS.join("|")} (see grader/docs/exports.md)`)
    .argument("<format>", EXPORT_FORMATS.join("|"))
    .requiredOption("--from <dir>", "grades folder written by `courseware grade` (holds students/*.json)")
    .requiredOption("--out <dir>", "folder to write the export into")
    .option("--canvas-column <name>", 'Canvas assignment column, e.g. "Notebook 1 (12345)" (default: the assignment name)')
    .option("--canvas-id-column <column>", `Canvas column that gets every student id: ${CANVAS_ID_COLUMNS.join(", ")} (default: by where the id came from: Canvas user ids in ID, roster and Gradescope student ids in SIS User ID, emails and file names in SIS Login ID)`)
    .option("--canvas-section <name>", "Canvas section written on every row")
    .option("--moodle-id-column <header>", 'Moodle identifier column header (default: "ID number")')
    .option("--moodle-grade-column <header>", "Moodle grade column header (default: the assignment name)")
    .option("--moodle-feedback", "add a feedback column to moodle.csv (moodle-worksheet.csv always has one)")
    .option("--moodle-max-grade <n>", "the Moodle assignment's maximum grade, when it is not the documents' maxScore: grades are scaled to it")
    .option("--moodle-decimal-separator <c>", 'decimal separator of Moodle grades: "." (default) or ","')
    .option("--hidden-visibility <v>", `Gradescope visibility of hidden tests: ${HIDDEN_VISIBILITIES.join(", ")} (default: after_published)`)
    .option("--gradescope-visibility <v>", `Gradescope top-level visibility (the other tests): ${VISIBILITIES.join(", ")} (default: not set, visible)`)
    .option("--stdout-visibility <v>", `Gradescope stdout_visibility: ${VISIBILITIES.join(", ")} (default: hidden; the autograder prints the staff's notes there)`)
    .option("--gradescope-format <f>", "Gradescope output_format of the feedback: text (default) or md (Markdown, the student's text escaped)")
    .option("--single", "gradescope: write <out>/results.json from the only score document (inside the autograder)")
    .option("--timestamp <iso>", "for documents without timing: LTI timestamp and Moodle worksheet 'Last modified (grade)' (ISO 8601 with a time zone)")
    .option("--activity-progress <p>", "LTI activityProgress: Completed (default) or Submitted")
    .option("--roster <file.csv>", "map student ids to LMS ids: a CSV with columns student, lms_id and optionally name")
    .action(async (format: string, cli: Omit<ExportOptions, "roster"> & { from: string; out: string; roster?: string }) => {
      const { roster: rosterFile, ...opts } = cli;
      const roster = rosterFile === undefined ? undefined : await readFile(rosterFile, "utf8").catch(() => Promise.reject(new UsageError(`--roster ${rosterFile}: no such file.`)));
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`Unknown export format "${format}"; use one of ${EXPORT_FORMATS.join(", ")}.`);
      const from = await stat(opts.from).catch(() => null);
      if (!from?.isDirectory()) throw new UsageError(`--from ${opts.from}: no such folder (expected the --out folder of \`courseware grade\`).`);
      const docs = (await readGrades(opts.from)).map((g) => g.doc);
      const parsed = roster === undefined ? undefined : parseRoster(roster, rosterFile!);
      const { files, notes } = exportFormat(format, docs, { ...opts, roster: parsed });
      const written = await writeExportFiles(opts.out, files);
      for (const n of notes) console.error(`note: ${n}`);
      const exported = parsed ? docs.filter((d) => parsed.has(d.student)).length : docs.length;
      console.log(`${exported === docs.length ? docs.length : `${exported} of ${docs.length}`} score documents exported to ${written.length} files in ${opts.out}/`);
    });
}
