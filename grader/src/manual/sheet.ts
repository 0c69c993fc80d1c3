// Manual grading of free-text answers: a CSV sheet for TAs, and the merge of their scores into the score documents.
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type GradedFile, readGrades } from "../grade/read-grades.js";
import { assertScoreDocument, assertSummaryDocument } from "../grade/schema.js";
import { type ManualAnswer, type ScoreDocument, type SummaryDocument, laterTimestamp, modifiedAt, pendingManual, totalScore } from "../grade/score-document.js";
import { CsvError, formatCsv, parseCsv } from "../csv/csv.js";

export const SHEET_COLUMNS = ["student", "question", "max_points", "answer", "score", "comment"] as const;

export interface SheetRow {
  student: string;
  question: string;
  maxPoints: number;
  answer: string;
  score: number | null;
  comment: string;
}

/** A sheet that cannot be merged; `problems` lists every bad row, each naming its line. */
export class SheetError extends Error {
  override name = "SheetError";
  constructor(
    readonly sheet: string,
    readonly problems: string[],
  ) {
    super(`${sheet}: nothing was written; fix ${problems.length === 1 ? "this problem" : `these ${problems.length} problems`} and merge again:\n  ${problems.join("\n  ")}`);
  }
}

/** One row per (student, free-text question), in student order and the assignment's question order. */
export function sheetRows(docs: readonly ScoreDocument[]): SheetRow[] {
  return [...docs]
    .sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0))
    .flatMap((doc) =>
      doc.manual.map((m) => ({ student: doc.student, question: m.id, maxPoints: m.maxScore, answer: m.answer, score: m.score, comment: m.comment ?? "" })),
    );
}

/**
 * A student's answer opened in a spreadsheet must not run as a formula (CSV injection): answers that start with
 * = + - @ or a tab/CR get a leading apostrophe, as spreadsheets themselves do. The merge never reads this column.
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function formatSheet(rows: readonly SheetRow[]): string {
  return formatCsv([
    [...SHEET_COLUMNS],
    ...rows.map((r) => [r.student, r.question, String(r.maxPoints), defuseFormula(r.answer), r.score === null ? "" : String(r.score), r.comment]),
  ]);
}

/** Writes the TA sheet for the documents in `gradesDir`; returns its rows. */
export async function writeSheet(gradesDir: string, outFile: string): Promise<SheetRow[]> {
  const rows = sheetRows((await readGrades(gradesDir)).map((f) => f.doc));
  await writeFile(outFile, formatSheet(rows));
  return rows;
}

interface RowUpdate {
  score: number | null;
  /** undefined when the sheet has no comment column: the comment stays as it is. */
  comment: string | undefined;
}

export interface MergePlan {
  /** Files whose content changes: path and new text. */
  writes: Array<{ path: string; text: string }>;
  /** Every document after the merge (changed or not), in student order. */
  documents: ScoreDocument[];
  summary: SummaryDocument | null;
  /** Number of sheet rows applied. */
  rows: number;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Keys in the order `courseware grade` writes them, with needsManualGrading after manual. */
function ordered(doc: ScoreDocument): ScoreDocument {
  const { schemaVersion, assignment, student, identity, status, score, maxScore, questions, manual, needsManualGrading, messages, staffNotes, submission, manifest, grader, timing } = doc;
  return {
    schemaVersion, assignment, student,
    ...(identity !== undefined && { identity }),
    status, score, maxScore, questions, manual,
    ...(needsManualGrading !== undefined && { needsManualGrading }),
    messages,
    ...(staffNotes !== undefined && { staffNotes }),
    submission,
    ...(manifest !== undefined && { manifest }),
    grader,
    ...(timing !== undefined && { timing }),
  };
}

function updatedAnswer(m: ManualAnswer, u: RowUpdate): ManualAnswer {
  const comment = u.comment === undefined ? m.comment : u.comment === "" ? undefined : u.comment;
  return { id: m.id, maxScore: m.maxScore, answer: m.answer, score: u.score, ...(comment !== undefined && { comment }) };
}

/**
 * Checks every row of a filled sheet against the documents and works out the new files; pure (writes nothing).
 * Throws SheetError listing every bad row when any row is bad.
 */
export function planMerge(
  files: readonly GradedFile[],
  summary: { path: string; text: string; doc: SummaryDocument } | null,
  sheetText: string,
  sheetName: string,
  now: Date = new Date(),
): MergePlan {
  let records;
  try {
    records = parseCsv(sheetText).filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ""));
  } catch (e) {
    if (e instanceof CsvError) throw new SheetError(sheetName, [e.message]);
    throw e;
  }
  const [header, ...body] = records;
  if (!header) throw new SheetError(sheetName, ["the sheet is empty (expected the header " + SHEET_COLUMNS.join(",") + ")"]);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const problems: string[] = [];
  for (const required of ["student", "question", "score"]) {
    if (col(required) < 0) problems.push(`line ${header.line}: the header has no "${required}" column (expected ${SHEET_COLUMNS.join(",")})`);
  }
  const dup = names.find((n, i) => n !== "" && names.indexOf(n) !== i);
  if (dup) problems.push(`line ${header.line}: the header has two "${dup}" columns`);
  if (problems.length) throw new SheetError(sheetName, problems);

  const byStudent = new Map(files.map((f) => [f.doc.student, f]));
  const updates = new Map<string, Map<string, RowUpdate>>();
  for (const { fields, line } of body) {
    const get = (name: string) => (col(name) < 0 ? undefined : fields[col(name)]);
    const student = (get("student") ?? "").trim();
    const question = (get("question") ?? "").trim();
    const where = `line ${line} (student "${student}", question "${question}")`;
    if (fields.length !== names.length) {
      problems.push(`line ${line}: ${fields.length} fields where the header has ${names.length} (a field with commas, quotes or line breaks must be quoted)`);
      continue;
    }
    const file = byStudent.get(student);
    if (!file) {
      problems.push(`${where}: unknown student "${student}" (no score document for it)`);
      continue;
    }
    const answer = file.doc.manual.find((m) => m.id === question);
    if (!answer) {
      const ids = file.doc.manual.map((m) => m.id);
      problems.push(`${where}: unknown question "${question}"; this student's free-text questions: ${ids.join(", ") || "none"}`);
      continue;
    }
    const forStudent = updates.get(student) ?? new Map<string, RowUpdate>();
    if (forStudent.has(question)) {
      problems.push(`${where}: a second row for the same student and question`);
      continue;
    }
    const maxText = (get("max_points") ?? "").trim();
    if (maxText !== "" && !(NUMBER.test(maxText) && Number(maxText) === answer.maxScore)) {
      problems.push(`${where}: max_points "${maxText}" differs from the score document's ${answer.maxScore} (a sheet from another assignment or grading run?)`);
      continue;
    }
    const scoreText = (get("score") ?? "").trim();
    let score: number | null = null;
    if (scoreText !== "") {
      if (!NUMBER.test(scoreText)) {
        problems.push(`${where}: score "${scoreText}" is not a number (write e.g. 0.5; leave it blank while the answer is not graded)`);
        continue;
      }
      score = Number(scoreText);
      if (score < 0) {
        problems.push(`${where}: score ${scoreText} is below 0`);
        continue;
      }
      if (score > answer.maxScore) {
        problems.push(`${where}: score ${scoreText} is over max_points ${answer.maxScore}`);
        continue;
      }
    }
    const comment = get("comment");
    forStudent.set(question, { score, comment: comment === undefined ? undefined : comment.trim() });
    updates.set(student, forStudent);
  }
  if (problems.length) throw new SheetError(sheetName, problems);

  const writes: MergePlan["writes"] = [];
  const documents: ScoreDocument[] = [];
  for (const file of files) {
    const u = updates.get(file.doc.student);
    if (!u) {
      documents.push(file.doc);
      continue;
    }
    const manual = file.doc.manual.map((m) => {
      const row = u.get(m.id);
      return row ? updatedAnswer(m, row) : m;
    });
    // a score that changes gets a later modification time (LTI exports send it as the score's timestamp)
    const changed = JSON.stringify(manual) !== JSON.stringify(file.doc.manual);
    const timing = file.doc.timing && changed ? { ...file.doc.timing, modifiedAt: laterTimestamp(modifiedAt(file.doc), now) } : file.doc.timing;
    const doc = ordered({
      ...file.doc,
      manual,
      score: totalScore(file.doc.questions, manual),
      needsManualGrading: pendingManual(manual).map((m) => m.id),
      ...(timing !== undefined && { timing }),
    });
    try {
      assertScoreDocument(doc);
    } catch (e) {
      throw new Error(`${file.path} after the merge: ${(e as Error).message}`);
    }
    documents.push(doc);
    const text = JSON.stringify(doc, null, 2) + "\n";
    if (text !== file.text) writes.push({ path: file.path, text });
  }

  let newSummary: SummaryDocument | null = null;
  if (summary) {
    const byName = new Map(documents.map((d) => [d.student, d]));
    newSummary = {
      ...summary.doc,
      results: summary.doc.results.map((r) => {
        const d = byName.get(r.student);
        return d ? { ...r, score: d.score, maxScore: d.maxScore } : r;
      }),
    };
    assertSummaryDocument(newSummary);
    const text = JSON.stringify(newSummary, null, 2) + "\n";
    if (text !== summary.text) writes.push({ path: summary.path, text });
  }
  return { writes, documents, summary: newSummary, rows: body.length };
}

/** Writes every file of a plan: all to temporary files first, then renamed into place. */
async function applyWrites(writes: MergePlan["writes"]): Promise<void> {
  const temps = writes.map((w) => ({ ...w, temp: `${w.path}.merge-${process.pid}.tmp` }));
  try {
    for (const t of temps) await writeFile(t.temp, t.text);
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t.temp, { force: true })));
    throw e;
  }
  for (const t of temps) await rename(t.temp, t.path);
}

/**
 * Merges a filled TA sheet into the score documents of `gradesDir` (and its summary.json), without regrading.
 * All or nothing: when any row is bad, SheetError lists them all and no file changes.
 */
export async function mergeSheet(gradesDir: string, sheetPath: string): Promise<MergePlan> {
  const sheetText = await readFile(sheetPath, "utf8");
  const files = await readGrades(gradesDir);
  const summaryPath = join(gradesDir, "summary.json");
  let summary: { path: string; text: string; doc: SummaryDocument } | null = null;
  const summaryText = await readFile(summaryPath, "utf8").catch(() => null);
  if (summaryText !== null) {
    const doc: unknown = JSON.parse(summaryText);
    assertSummaryDocument(doc);
    summary = { path: summaryPath, text: summaryText, doc };
  }
  const plan = planMerge(files, summary, sheetText, sheetPath);
  await applyWrites(plan.writes);
  return plan;
}
