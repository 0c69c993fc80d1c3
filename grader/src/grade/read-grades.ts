import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { assertScoreDocument } from "./schema.js";
import type { ScoreDocument } from "./score-document.js";

export interface GradedFile {
  /** Absolute or caller-relative path of the JSON file. */
  path: string;
  /** The exact bytes read, to tell whether a rewrite changes anything. */
  text: string;
  doc: ScoreDocument;
}

/** Reads and validates every `<dir>/students/*.json` written by `courseware grade`, sorted by student. */
export async function readGrades(dir: string): Promise<GradedFile[]> {
  const studentsDir = join(dir, "students");
  let names: string[];
  try {
    names = (await readdir(studentsDir)).filter((n) => n.endsWith(".json")).sort();
  } catch {
    throw new UsageError(`No score documents in ${dir}: ${studentsDir} is missing (give the --out folder of \`courseware grade\`).`);
  }
  const files: GradedFile[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const path = join(studentsDir, name);
    const text = await readFile(path, "utf8");
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
    }
    try {
      assertScoreDocument(doc);
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`);
    }
    const other = seen.get(doc.student);
    if (other) throw new Error(`${path} and ${other} are both for student "${doc.student}"`);
    seen.set(doc.student, path);
    files.push({ path, text, doc });
  }
  return files;
}
