// The Gradescope autograder, run by run_autograder for each submission
// (`node grader/bin/courseware-autograder.js gradescope [options] [-- grade options]`).
// Gradescope's layout (https://gradescope-autograders.readthedocs.io/en/latest/specs/, "File hierarchy"): the
// student's files in /autograder/submission, the results in /autograder/results/results.json; what the script prints
// is kept in /autograder/results/stdout "for displaying back to the instructor", shown to students only when
// results.json sets stdout_visibility.
// A failure of the autograder itself writes no results.json and exits 1: Gradescope then shows "The autograder failed
// to execute correctly" (docs/troubleshooting.md: "returned when the autograder does not produce a valid JSON file in
// /autograder/results/results.json") and records the run as an autograder error, "failed to run at no fault of the
// student" (docs/submission_metadata.md, `autograder_error`), instead of a score: a results.json with score 0 would
// replace the student's score and blame them. The reason goes to stdout, which instructors see, and the run can be
// repeated from Gradescope ("Rerun autograder") once it is fixed. Gradescope's best-practice page asks for a
// results.json "even if the autograder fails" so that students get partial results; there is no partial result
// here (one `courseware grade` run grades the whole notebook), so a missing results.json is the honest report.
// Nothing to grade (no notebook, several) is the student's doing: score 0 and the reason in `output`.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command, Option } from "commander";
import { FAILURE_BANNER, OWN_PROJECT, autograde, freshResults, splitArgs } from "./autograder.js";
import { autograded, json } from "./common.js";
import { HIDDEN_VISIBILITIES, OUTPUT_FORMATS, VISIBILITIES, type GradescopeOptions, gradescopeNothingToGrade, gradescopeResult } from "./gradescope.js";

interface Cli {
  root: string;
  project: string;
  assignment?: string;
  hiddenVisibility?: GradescopeOptions["hiddenVisibility"];
  visibility?: GradescopeOptions["visibility"];
  stdoutVisibility: NonNullable<GradescopeOptions["stdoutVisibility"]>;
  format?: GradescopeOptions["format"];
}

function parse(argv: string[]): Cli {
  const cmd = new Command("courseware-autograder gradescope")
    .option("--root <dir>", "Gradescope's /autograder (another root only for trying it elsewhere)", process.env["AUTOGRADER_ROOT"] ?? "/autograder")
    .option("--project <dir>", "the built courseware project that grades", process.env["COURSEWARE_PROJECT"] ?? OWN_PROJECT)
    .option("--assignment <name>", "the assignment to grade against")
    .addOption(new Option("--hidden-visibility <v>").choices([...HIDDEN_VISIBILITIES]))
    .addOption(new Option("--visibility <v>").choices([...VISIBILITIES]))
    .addOption(new Option("--stdout-visibility <v>").choices([...VISIBILITIES]).default("hidden"))
    .addOption(new Option("--format <f>").choices([...OUTPUT_FORMATS]))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  cmd.parse(argv, { from: "user" });
  return cmd.opts<Cli>();
}

/** Gradescope's metadata of this submission (docs/submission_metadata.md), when it can be read. */
async function metadata(root: string): Promise<{ total?: number }> {
  try {
    const m = JSON.parse(await readFile(join(root, "submission_metadata.json"), "utf8")) as { assignment?: { total_points?: string | number } };
    const total = Number(m.assignment?.total_points);
    return Number.isFinite(total) ? { total } : {};
  } catch {
    return {};
  }
}

/** Runs the autograder; returns the exit status (0: results.json written; 1: autograder failure, none written). */
export async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  const { own, grade } = splitArgs(argv);
  const cli = parse(own);
  const results = await freshResults(cli.root);
  const opts: GradescopeOptions = {
    ...(cli.hiddenVisibility && { hiddenVisibility: cli.hiddenVisibility }),
    ...(cli.visibility && { visibility: cli.visibility }),
    stdoutVisibility: cli.stdoutVisibility,
    ...(cli.format && { format: cli.format }),
  };
  // stdout is the instructors' only while stdout_visibility is hidden: the grader's log and the staff's notes go
  // there then, and never otherwise (a failure writes no results.json, so its stdout stays the instructors')
  const staffOnly = cli.stdoutVisibility === "hidden";
  const outcome = await autograde({ submissionDir: join(cli.root, "submission"), project: cli.project, ...(cli.assignment !== undefined && { assignment: cli.assignment }), gradeArgs: grade });
  const seconds = (Date.now() - started) / 1000;
  if (outcome.kind === "failure") {
    await rm(results, { force: true });
    console.log(outcome.log);
    console.log(`${FAILURE_BANNER}\n${outcome.reason}\nNo results.json was written, so Gradescope reports an autograder error instead of a score; fix the autograder, then rerun it on the submissions.`);
    return 1;
  }
  if (outcome.kind === "nothing") {
    await writeFile(results, json(gradescopeNothingToGrade(outcome.reason, { ...opts, executionTimeSeconds: seconds })));
    console.log(`courseware: nothing to grade: ${outcome.reason}`);
    return 0;
  }
  const doc = outcome.doc;
  await writeFile(results, json(gradescopeResult(doc, { ...opts, executionTimeSeconds: seconds })));
  if (staffOnly) {
    console.log(outcome.log);
    for (const n of doc.staffNotes ?? []) console.log(`staff note: ${n}`);
    const { total } = await metadata(cli.root);
    if (total !== undefined && total !== doc.maxScore) {
      console.log(`staff note: Gradescope's total_points for this assignment is ${total}; the notebook's maxScore is ${doc.maxScore} (autograded ${autograded(doc).max}, the rest graded by hand).`);
    }
  }
  console.log(`courseware: ${doc.status}, ${doc.score} of ${doc.maxScore} points; results.json written.`);
  return 0;
}
