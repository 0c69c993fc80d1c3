import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { assertScoreDocument } from "../grade/schema.js";
import type { ScoreDocument } from "../grade/score-document.js";
import { ExportError } from "./common.js";

/** Reads and validates every `<dir>/students/*.json` (in name order); an invalid file is named in the error. */
export async function readScoreDocuments(dir: string): Promise<ScoreDocument[]> {
  const folder = join(dir, "students");
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith(".json")).sort();
  } catch (e) {
    throw new ExportError(`Cannot read the score documents in ${folder}: ${(e as Error).message}`);
  }
  if (!names.length) throw new ExportError(`There are no score documents (*.json) in ${folder}.`);
  const docs: ScoreDocument[] = [];
  for (const name of names) {
    const file = join(folder, name);
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, "utf8"));
    } catch (e) {
      throw new ExportError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    try {
      assertScoreDocument(doc);
    } catch (e) {
      throw new ExportError(`${file}: ${(e as Error).message}`);
    }
    docs.push(doc);
  }
  return docs;
}
