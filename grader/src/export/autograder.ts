// What the in-container autograders (Gradescope's run_autograder, a PrairieLearn external grader) share: find the
// student's notebook, grade it with `courseware grade` in a child process, and sort the outcome into one of three:
//   graded   - one score document (whatever its status: a file that is not a notebook is `invalid`, the student's);
//   nothing  - nothing to grade, which the student did: no notebook, or several (they are told what was found);
//   failure  - the autograder itself failed, never the student's doing: `courseware grade` exited non-zero (its
//              contract: 2 usage error or broken assignment, 3 the environment cannot grade at all, the project not built included, 1
//              anything else, Node's own 1 when a module is missing), or it succeeded without
//              exactly one document for the one notebook.
// Each platform then reports a failure as its own kind of grader failure (gradescope-autograder.ts,
// prairielearn-autograder.ts) instead of a score.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { listFiles } from "../collect/collect-submissions.js";
import { readGrades } from "../grade/read-grades.js";
import type { ScoreDocument } from "../grade/score-document.js";

/** The project this file belongs to (grader/dist/src/export/ → the repository root). */
export const OWN_PROJECT = fileURLToPath(new URL("../../../../", import.meta.url));

export type Outcome =
  | { kind: "graded"; doc: ScoreDocument; log: string }
  | { kind: "nothing"; reason: string; log: string }
  | { kind: "failure"; reason: string; log: string };

export interface AutogradeOptions {
  /** The folder holding the student's files. */
  submissionDir: string;
  /** The built courseware project whose `grader/bin/courseware.js` grades. */
  project: string;
  assignment?: string;
  /** More arguments for `courseware grade` (limits such as --timeout). */
  gradeArgs?: string[];
}

/** The student's files, relative to `dir`, as the grader reads folders: hidden files and folders are skipped. */
export async function submittedFiles(dir: string): Promise<string[]> {
  return (await listFiles(dir)).map((f) => relative(dir, f).split("\\").join("/"));
}

const isNotebook = (f: string) => extname(f).toLowerCase() === ".ipynb";
const listed = (files: string[]) => (files.length > 8 ? `${files.slice(0, 8).join(", ")} and ${files.length - 8} more` : files.join(", "));

interface GradeRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  outDir: string;
}

function runGrade(project: string, args: string[], outDir: string): Promise<GradeRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(project, "grader", "bin", "courseware.js"), ...args], { cwd: project, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", (e) => resolve({ status: null, signal: null, output: output + `\n${e.message}`, outDir }));
    child.on("close", (status, signal) => resolve({ status, signal, output, outDir }));
  });
}

const EXIT_MEANING: Record<number, string> = {
  1: "an internal error",
  2: "a usage error or a broken assignment (a source notebook or reference cell that fails)",
  3: "the grading environment cannot grade at all (the sandbox cannot start, or the project is not built)",
};

/**
 * `<root>/results/results.json`, the file both platforms read, with its folder made and any earlier file removed:
 * a failure must leave no results.json behind.
 */
export async function freshResults(root: string): Promise<string> {
  const dir = join(root, "results");
  await mkdir(dir, { recursive: true });
  const results = join(dir, "results.json");
  await rm(results, { force: true });
  return results;
}

/** The last lines of the grader's output: where it says what went wrong. */
const tail = (text: string, n = 15) => text.trimEnd().split("\n").slice(-n).join("\n");

export async function autograde(opts: AutogradeOptions): Promise<Outcome> {
  const info = await stat(opts.submissionDir).catch(() => null);
  if (!info?.isDirectory()) return { kind: "failure", reason: `the submission folder ${opts.submissionDir} does not exist (the platform did not hand over the student's files)`, log: "" };
  const files = await submittedFiles(opts.submissionDir);
  const notebooks = files.filter(isNotebook);
  if (notebooks.length === 0) {
    const reason = files.length
      ? `No notebook (.ipynb file) was found in your submission; it holds: ${listed(files)}. Submit your notebook, the .ipynb file itself.`
      : "Your submission is empty: no notebook (.ipynb file) was found. Submit your notebook, the .ipynb file itself.";
    return { kind: "nothing", reason, log: "" };
  }
  if (notebooks.length > 1) {
    return { kind: "nothing", reason: `Your submission holds ${notebooks.length} notebooks (${listed(notebooks)}); submit exactly one .ipynb file.`, log: "" };
  }
  const outDir = await mkdtemp(join(tmpdir(), "courseware-autograder-"));
  try {
    const args = ["grade", join(opts.submissionDir, notebooks[0]!), "--out", join(outDir, "grades"), ...(opts.assignment !== undefined ? ["--assignment", opts.assignment] : []), ...(opts.gradeArgs ?? [])];
    const run = await runGrade(opts.project, args, outDir);
    if (run.status !== 0) {
      const how = run.status === null ? (run.signal ? `was killed by ${run.signal}` : "could not be started") : `exited with status ${run.status}${EXIT_MEANING[run.status] ? ` (${EXIT_MEANING[run.status]})` : ""}`;
      return { kind: "failure", reason: `courseware grade ${how}:\n${tail(run.output)}`, log: run.output };
    }
    let docs: ScoreDocument[];
    try {
      docs = (await readGrades(join(outDir, "grades"))).map((g) => g.doc);
    } catch (e) {
      return { kind: "failure", reason: `courseware grade exited 0 but its score documents cannot be read: ${(e as Error).message}`, log: run.output };
    }
    if (docs.length !== 1) return { kind: "failure", reason: `courseware grade exited 0 but wrote ${docs.length} score documents for one notebook (${notebooks[0]}).`, log: run.output };
    return { kind: "graded", doc: docs[0]!, log: run.output };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Splits argv at "--": the autograder's own options, and the arguments passed on to `courseware grade`. */
export function splitArgs(argv: string[]): { own: string[]; grade: string[] } {
  const i = argv.indexOf("--");
  return i < 0 ? { own: argv, grade: [] } : { own: argv.slice(0, i), grade: argv.slice(i + 1) };
}

/** The message every failure starts with, so that a log reader sees at once whose fault it is. */
export const FAILURE_BANNER = "courseware: AUTOGRADER FAILURE (the grader could not grade this submission; this is not the student's doing):";
