// `courseware report`: reads a grades folder (local or queue batch), works out the figures, compares the answers,
// draws the charts and writes <out>/report.json and <out>/index.html.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadAssignment } from "../assignment/load-assignment.js";
import { UsageError } from "../errors.js";
import { releaseDigest } from "../grade/manifest.js";
import { readGrades } from "../grade/read-grades.js";
import { assertSummaryDocument } from "../grade/schema.js";
import { type ScoreDocument, batchStaffNotes } from "../grade/score-document.js";
import type { Notebook } from "../notebook/nbformat.js";
import { drawCharts } from "./charts.js";
import { classFigures } from "./class-figures.js";
import { reportPage } from "./page.js";
import { manualStatus, questionFigures } from "./question-figures.js";
import type { Report } from "./report-data.js";
import { similarity } from "./similarity-section.js";

export interface ReportOptions {
  from: string;
  out: string;
  /** Instructor sources, for the release's answer cells (the text given to every student). */
  solutionsDir: string;
  /** Similar pairs from this score are listed (0..1). */
  minSimilarity: number;
  /** Pairs per answer cell the page shows side by side. */
  shownPairs: number;
  onPhase?: (what: string) => void;
  now?: Date;
}

export interface ReportResult {
  report: Report;
  htmlPath: string;
  jsonPath: string;
  htmlBytes: number;
}

/** The batch's staff notes: summary.json's, else those `courseware grade` would have written there. */
async function batchNotes(from: string, docs: readonly ScoreDocument[]): Promise<string[]> {
  const path = join(from, "summary.json");
  const text = await readFile(path, "utf8").catch(() => null);
  if (text !== null) {
    try {
      const summary: unknown = JSON.parse(text);
      assertSummaryDocument(summary);
      return summary.staffNotes ?? [];
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message} (move it away to make the report without the batch's notes)`);
    }
  }
  return batchStaffNotes([], docs);
}

/** The release the documents were graded against, from the solutions folder; or why it cannot be used. */
async function findRelease(solutionsDir: string, docs: readonly ScoreDocument[]): Promise<{ release?: Notebook; note?: string }> {
  const name = docs[0]!.assignment;
  const without = "the answers are compared without it (only what most of the class shares is left out)";
  let release: Notebook;
  try {
    release = (await loadAssignment(solutionsDir, name)).release;
  } catch {
    return { note: `The source notebook of "${name}" is not in ${solutionsDir}, so the code given in each answer cell is not known: ${without}.` };
  }
  const hashes = new Set(docs.flatMap((d) => (d.manifest ? [d.manifest.assignment.release] : [])));
  const ours = releaseDigest(release);
  if (hashes.size > 0 && !hashes.has(ours)) {
    return { release, note: `The release made from ${solutionsDir} differs from the one these submissions were graded against; its answer cells were used as the given code all the same.` };
  }
  return { release };
}

export async function writeReport(opts: ReportOptions): Promise<ReportResult> {
  const phase = opts.onPhase ?? (() => undefined);
  phase("reading the score documents");
  const docs = (await readGrades(opts.from)).map((f) => f.doc);
  if (docs.length === 0) throw new UsageError(`${opts.from}/students has no score documents: grade a batch into ${opts.from} first.`);
  const assignments = [...new Set(docs.map((d) => d.assignment))].sort();
  if (assignments.length > 1) throw new UsageError(`${opts.from} holds documents of several assignments (${assignments.join(", ")}); a report covers one.`);

  const staffNotes = await batchNotes(opts.from, docs);
  const reportNotes: string[] = [];
  const { release, note } = await findRelease(opts.solutionsDir, docs);
  if (note) reportNotes.push(note);
  const withoutCells = docs.filter((d) => d.status !== "invalid" && d.answerCells === undefined).length;
  if (withoutCells) {
    reportNotes.push(`${withoutCells} of ${docs.length} documents come from an older grader that did not keep the answer cells, so their code is not compared (their free-text answers are); grade them again (without --resume) to include them.`);
  }

  phase(`working out the figures of ${docs.length} documents`);
  const figures = classFigures(docs);
  const questions = questionFigures(docs);
  const manual = manualStatus(docs);
  phase("comparing the answers");
  const similar = similarity(docs, { ...(release && { release }), minScore: opts.minSimilarity, shown: opts.shownPairs });

  const report: Report = {
    reportVersion: 1,
    assignment: assignments[0]!,
    from: opts.from,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    documents: docs.length,
    staffNotes,
    reportNotes,
    class: figures,
    questions,
    manual,
    similarityQuestions: similar.questions,
    similarity: similar.pairs,
  };
  phase("drawing the charts");
  const charts = await drawCharts(figures, questions, manual);
  const html = reportPage(report, charts, similar.views, opts.minSimilarity);

  await mkdir(opts.out, { recursive: true });
  const jsonPath = join(opts.out, "report.json");
  const htmlPath = join(opts.out, "index.html");
  await writeFile(jsonPath, JSON.stringify(report, null, 2) + "\n");
  await writeFile(htmlPath, html);
  return { report, htmlPath, jsonPath, htmlBytes: (await stat(htmlPath)).size };
}
