import type { Notebook } from "../notebook/nbformat.js";
import { clearOutputs } from "./clear-outputs.js";
import { clearSolutions } from "./clear-solutions.js";
import { removeHiddenTests } from "./remove-hidden-tests.js";

/** The row of steps that turns an instructor's source notebook into the student (release) notebook. */
const steps: Array<(nb: Notebook) => Notebook> = [removeHiddenTests, clearSolutions, clearOutputs];

export function makeRelease(source: Notebook): Notebook {
  return steps.reduce((nb, step) => step(nb), source);
}
