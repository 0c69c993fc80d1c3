// Step 4, hand over values: the answers the sandbox sent back (encoded data only, values.ts), decoded for the
// tests, and for each one that is missing or unreadable, what the student should be told.
import type { Assignment } from "../../assignment/load-assignment.js";
import { Answers } from "../answers.js";
import type { SandboxRun } from "../sandbox.js";
import { decodeValue } from "../decode-value.js";

export function handOverValues(run: SandboxRun, assignment: Assignment): Answers {
  const values = new Map<string, unknown>();
  const problems = new Map<string, string>();
  for (const [name, encoded] of Object.entries(run.values ?? {})) {
    if ("missing" in encoded) {
      problems.set(name, `\`${name}\` has no value when the notebook finishes; complete the cell that computes it.`);
      continue;
    }
    try {
      values.set(name, decodeValue(encoded));
    } catch (e) {
      problems.set(name, `\`${name}\` is ${(e as Error).message}.`);
    }
  }
  if (run.values === null) {
    const why = run.failedToStart ? "the grader could not start the notebook" : (run.detail ?? "the notebook did not finish");
    for (const q of assignment.questions) for (const a of q.answers) problems.set(a, `\`${a}\` could not be read: ${why}.`);
  }
  return new Answers(values, problems);
}
