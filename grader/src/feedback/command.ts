import type { Command } from "commander";
import { readGrades } from "../grade/read-grades.js";
import { writeFeedback } from "./write-feedback.js";

/** Adds `courseware feedback` to the program. */
export function addFeedbackCommand(program: Command): void {
  program
    .command("feedback")
    .description("write a feedback report per student (<out>/<student>.md and .html) from the score documents")
    .requiredOption("--from <dir>", "grades folder written by `courseware grade` (holds students/*.json)")
    .requiredOption("--out <dir>", "where the reports go")
    .action(async (opts: { from: string; out: string }) => {
      const docs = (await readGrades(opts.from)).map((f) => f.doc);
      await writeFeedback(docs, opts.out);
      console.log(`${opts.out}/: feedback for ${docs.length} students (Markdown and HTML)`);
    });
}
