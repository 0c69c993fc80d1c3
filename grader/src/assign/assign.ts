import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatNotebook, readNotebook } from "../notebook/read-notebook.js";
import { makeRelease } from "./make-release.js";

export interface AssignOptions {
  solutionsDir: string;
  assignmentsDir: string;
  /** Only these assignments (folder names); all when empty. */
  names: string[];
  /** Compare instead of write: report release notebooks that differ from their source. */
  check: boolean;
}

export interface AssignResult {
  name: string;
  releasePath: string;
  status: "written" | "unchanged" | "stale" | "missing";
}

export async function listAssignments(solutionsDir: string): Promise<string[]> {
  const entries = await readdir(solutionsDir, { withFileTypes: true }).catch(() => {
    throw new Error(`No solutions folder at ${solutionsDir}: run this from the course root or pass --solutions.`);
  });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

export function sourcePath(solutionsDir: string, name: string): string {
  return join(solutionsDir, name, `${name}.ipynb`);
}

export function releasePath(assignmentsDir: string, name: string): string {
  return join(assignmentsDir, name, `${name}.ipynb`);
}

export async function assign(opts: AssignOptions): Promise<AssignResult[]> {
  const available = await listAssignments(opts.solutionsDir);
  for (const name of opts.names) {
    if (!available.includes(name)) {
      throw new Error(`Unknown assignment "${name}". Available in ${opts.solutionsDir}: ${available.join(", ") || "none"}.`);
    }
  }
  const results: AssignResult[] = [];
  for (const name of opts.names.length ? opts.names : available) {
    const release = formatNotebook(makeRelease(await readNotebook(sourcePath(opts.solutionsDir, name)), name));
    const out = releasePath(opts.assignmentsDir, name);
    const current = await readFile(out, "utf8").catch(() => null);
    if (opts.check) {
      results.push({ name, releasePath: out, status: current === null ? "missing" : current === release ? "unchanged" : "stale" });
    } else if (current === release) {
      results.push({ name, releasePath: out, status: "unchanged" });
    } else {
      await mkdir(join(opts.assignmentsDir, name), { recursive: true });
      await writeFile(out, release);
      results.push({ name, releasePath: out, status: "written" });
    }
  }
  return results;
}
