import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ScoreDocument } from "../grade/score-document.js";
import { type ReportOptions, htmlReport, markdownReport } from "./report.js";

/** A student id is a file name (the submission's, less .ipynb); refuse anything that would write elsewhere. */
function safeName(student: string): string {
  if (student === "." || student === ".." || /[/\\\0]/.test(student)) throw new Error(`Cannot write feedback for student id ${JSON.stringify(student)}`);
  return student;
}

/**
 * Writes `<outDir>/<student>.md` and `.html` for each document (the staff's version, with the staff notes, as
 * `<student>.staff.md` and `.staff.html`, so that it is not sent to a student by mistake); returns the paths written.
 */
export async function writeFeedback(docs: readonly ScoreDocument[], outDir: string, opts: ReportOptions = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const doc of docs) {
    const base = join(outDir, safeName(doc.student) + (opts.staff ? ".staff" : ""));
    await writeFile(`${base}.md`, markdownReport(doc, opts));
    await writeFile(`${base}.html`, htmlReport(doc, opts));
    written.push(`${base}.md`, `${base}.html`);
  }
  return written;
}
