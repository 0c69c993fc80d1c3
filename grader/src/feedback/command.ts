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
    .option("--staff", "the staff's version: <student>.staff.md and .html, with the notes students never see")
    .action(async (opts: { from: string; out: string; staff?: boolean }) => {
      const docs = (await readGrades(opts.from)).map((f) => f.doc);
      await writeFeedback(docs, opts.out, { staff: !!opts.staff });
      console.log(`${opts.out}/: ${opts.staff ? "staff reports" : "feedback"} for ${docs.length} students (Markdown and HTML)`);
    });
}
