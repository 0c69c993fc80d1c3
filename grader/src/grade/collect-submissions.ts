import { readdir, stat } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import type { Submission } from "./grade-submission.js";

export class UsageError extends Error {
  override name = "UsageError";
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue; // .ipynb_checkpoints and the like
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(full)));
    else if (e.isFile() && extname(e.name) === ".ipynb") files.push(full);
  }
  return files;
}

/**
 * Files given by name are graded whatever their extension (a bad one becomes an `invalid` result);
 * folders contribute their .ipynb files. The student id is the file name without its extension.
 */
export async function collectSubmissions(inputs: string[]): Promise<{ submissions: Submission[]; messages: string[] }> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new UsageError(`No such file or folder: ${input}`);
    files.push(...(info.isDirectory() ? await walk(input) : [input]));
  }
  const byStudent = new Map<string, Submission>();
  const messages: string[] = [];
  for (const file of files.map((f) => resolve(f))) {
    const student = basename(file, extname(file));
    const earlier = byStudent.get(student);
    if (earlier) {
      if (earlier.file !== file) messages.push(`Two submissions for "${student}": ${earlier.file} is graded, ${file} is skipped.`);
      continue;
    }
    byStudent.set(student, { file, student });
  }
  return { submissions: [...byStudent.values()], messages };
}
