// Which assignment a command grades: the one --assignment names; else the only one in solutions/; else the one the
// notebooks say they are (`courseware assign` writes metadata.courseware.assignment into each release notebook).
// A batch whose notebooks name several assignments is refused: each assignment is graded on its own, into its own
// grades folder (students/<student>.json would otherwise hold two assignments' documents under one name).
import { readFile, stat } from "node:fs/promises";
import { listAssignments } from "../assign/assign.js";
import { assignmentOf } from "../assign/mark-release.js";
import { UsageError } from "../errors.js";
import { parseNotebook } from "../notebook/read-notebook.js";
import { type Assignment, loadAssignment } from "./load-assignment.js";

/** Notebooks bigger than this are not read here (grading refuses them anyway). */
const MAX_READ_BYTES = 20 * 1024 * 1024;

/** The assignment a notebook file names, if it is a readable notebook that names one. */
export async function assignmentOfFile(file: string): Promise<string | undefined> {
  try {
    if ((await stat(file)).size > MAX_READ_BYTES) return undefined;
    return assignmentOf(parseNotebook(await readFile(file, "utf8"), file));
  } catch {
    return undefined;
  }
}

const list = (xs: string[]) => (xs.length > 5 ? `${xs.slice(0, 5).join(", ")} and ${xs.length - 5} more` : xs.join(", "));

/**
 * `notebooks`: the submissions (path and how to name it) whose metadata decides when `name` is not given and
 * solutions/ has several assignments.
 */
export async function pickAssignment(solutionsDir: string, name?: string, notebooks: Array<{ file: string; label: string }> = []): Promise<Assignment> {
  const names = await listAssignments(solutionsDir);
  const has = names.join(", ") || "none";
  if (name !== undefined) {
    if (!names.includes(name)) throw new UsageError(`Unknown assignment "${name}"; ${solutionsDir} has ${has}.`);
    return loadAssignment(solutionsDir, name);
  }
  if (names.length === 1) return loadAssignment(solutionsDir, names[0]!);
  const byAssignment = new Map<string, string[]>();
  for (const nb of notebooks) {
    const named = await assignmentOfFile(nb.file);
    if (named !== undefined) byAssignment.set(named, [...(byAssignment.get(named) ?? []), nb.label]);
  }
  const unknown = [...byAssignment.keys()].filter((a) => !names.includes(a));
  if (unknown.length) {
    throw new UsageError(`Some notebooks are for assignments ${solutionsDir} does not have: ${unknown.map((a) => `"${a}" (${list(byAssignment.get(a)!)})`).join(", ")}; it has ${has}.`);
  }
  if (byAssignment.size > 1) {
    const parts = [...byAssignment].sort(([a], [b]) => a.localeCompare(b)).map(([a, files]) => `${a} (${files.length}: ${list(files)})`);
    throw new UsageError(`The notebooks are for several assignments: ${parts.join("; ")}. Grade each assignment on its own, into its own --out folder, with --assignment NAME.`);
  }
  const [only] = byAssignment.keys();
  if (only === undefined) {
    throw new UsageError(`Say which assignment to grade with --assignment: ${solutionsDir} has ${has}, and no notebook says which it is (release notebooks made by \`courseware assign\` do).`);
  }
  return loadAssignment(solutionsDir, only);
}
