// The PrairieLearn external grader, the entrypoint of the grading container
// (`/courseware/grader/bin/courseware-autograder.js prairielearn [options] [-- grade options]`).
// PrairieLearn's layout (docs/externalGrading.md in github.com/PrairieLearn/PrairieLearn, "The Grading Process"):
// /grade/student holds the student's files, /grade/tests the question's tests/, /grade/serverFilesCourse the course
// files listed in externalGradingOptions, /grade/data/data.json the question's data; by the time the entrypoint
// finishes it must have written /grade/results/results.json, in a /grade/results it creates itself.
// How PrairieLearn reads the outcome (apps/grader-host/src/index.ts and apps/prairielearn/src/lib/externalGrader.ts):
// the job "succeeded" only when the container exits 0 within the timeout, and only then is results.json read; a job
// that did not succeed is recorded as not gradable, "to avoid penalizing students for issues outside their control",
// and the student sees "Grading failed!" with "Unknown error; please contact course staff." So an autograder failure
// exits 1, with the reason in the container's output, which is the grading job's log (output.log, shown on the
// instructors' grading job page, apps/prairielearn/src/pages/instructorGradingJob). Nothing to grade (no notebook,
// several) is the student's doing: `gradable: false` with the reason in format_errors, which uses no attempt.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { FAILURE_BANNER, OWN_PROJECT, autograde, freshResults, splitArgs } from "./autograder.js";
import { json } from "./common.js";
import { type PrairieLearnResults, prairieLearnResult } from "./prairielearn.js";

interface Cli {
  root: string;
  project: string;
  assignment?: string;
}

function parse(argv: string[]): Cli {
  const cmd = new Command("courseware-autograder prairielearn")
    .option("--root <dir>", "PrairieLearn's /grade (another root only for trying it elsewhere)", "/grade")
    .option("--project <dir>", "the built courseware project that grades", process.env["COURSEWARE_PROJECT"] ?? OWN_PROJECT)
    .option("--assignment <name>", "the assignment to grade against")
    .exitOverride();
  cmd.parse(argv, { from: "user" });
  return cmd.opts<Cli>();
}

/** Runs the external grader; returns the exit status (0: results.json written; 1: autograder failure). */
export async function main(argv: string[]): Promise<number> {
  const { own, grade } = splitArgs(argv);
  const cli = parse(own);
  const results = await freshResults(cli.root);
  const outcome = await autograde({ submissionDir: join(cli.root, "student"), project: cli.project, ...(cli.assignment !== undefined && { assignment: cli.assignment }), gradeArgs: grade });
  // the container's output is the grading job's log, which only the course staff can open
  if (outcome.log) console.log(outcome.log);
  if (outcome.kind === "failure") {
    console.log(`${FAILURE_BANNER}\n${outcome.reason}\nExiting 1: PrairieLearn marks the job as a failed grading, not gradable, and uses none of the student's attempts.`);
    return 1;
  }
  let body: PrairieLearnResults;
  if (outcome.kind === "nothing") {
    body = { gradable: false, message: outcome.reason, format_errors: [outcome.reason] };
    console.log(`courseware: nothing to grade: ${outcome.reason}`);
  } else {
    body = prairieLearnResult(outcome.doc);
    for (const n of outcome.doc.staffNotes ?? []) console.log(`staff note: ${n}`);
    console.log(`courseware: ${outcome.doc.status}; score ${body.score ?? "none (not gradable)"}.`);
  }
  await writeFile(results, json(body));
  return 0;
}
