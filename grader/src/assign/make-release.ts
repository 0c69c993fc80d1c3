import type { Notebook } from "../notebook/nbformat.js";
import { clearOutputs } from "./clear-outputs.js";
import { clearSolutions } from "./clear-solutions.js";
import { markRelease } from "./mark-release.js";
import { removeHiddenTests } from "./remove-hidden-tests.js";

/** The row of steps that turns an instructor's source notebook into the student (release) notebook of `assignment`. */
export function makeRelease(source: Notebook, assignment: string): Notebook {
  const steps: Array<(nb: Notebook) => Notebook> = [removeHiddenTests, clearSolutions, clearOutputs, markRelease(assignment)];
  return steps.reduce((nb, step) => step(nb), source);
}
