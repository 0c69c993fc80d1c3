import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ScoreDocument } from "../grade/score-document.js";
import { htmlReport, markdownReport } from "./report.js";

/** A student id is a file name (the submission's, less .ipynb); refuse anything that would write elsewhere. */
function safeName(student: string): string {
  if (student === "." || student === ".." || /[/\\\0]/.test(student)) throw new Error(`Cannot write feedback for student id ${JSON.stringify(student)}`);
  return student;
}

/** Writes `<outDir>/<student>.md` and `<outDir>/<student>.html` for each document; returns the paths written. */
export async function writeFeedback(docs: readonly ScoreDocument[], outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const doc of docs) {
    const base = join(outDir, safeName(doc.student));
    await writeFile(`${base}.md`, markdownReport(doc));
    await writeFile(`${base}.html`, htmlReport(doc));
    written.push(`${base}.md`, `${base}.html`);
  }
  return written;
}
