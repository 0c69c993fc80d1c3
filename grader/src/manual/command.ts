import { access } from "node:fs/promises";
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { mergeSheet, writeSheet } from "./sheet.js";

/** Adds `courseware manual sheet` to the program. */
export function addManualCommands(program: Command): void {
  const manual = program.command("manual").description("grade free-text answers by hand (see grader/docs/manual-and-feedback.md)");
  manual
    .command("sheet")
    .description("write a CSV sheet for TAs: one row per student and free-text question (merge it back with `courseware grade --manual`)")
    .requiredOption("--from <dir>", "grades folder written by `courseware grade` (holds students/*.json)")
    .requiredOption("--out <file>", "the CSV file to write")
    .action(async (opts: { from: string; out: string }) => {
      const rows = await writeSheet(opts.from, opts.out);
      const pending = rows.filter((r) => r.score === null).length;
      console.log(`${opts.out}: ${rows.length} free-text answers from ${new Set(rows.map((r) => r.student)).size} students, ${pending} waiting for a score`);
    });
}

/**
 * For `courseware grade`: true when --manual asks for a merge instead of grading; throws UsageError when the
 * arguments mix the two (submission paths or grading options with --manual) or give neither.
 */
export function wantsManualMerge(paths: readonly string[], opts: { manual?: string }, command: Command): boolean {
  if (opts.manual === undefined) {
    if (paths.length === 0) throw new UsageError("Give the submission files or folders to grade, or --manual <sheet.csv> to merge a TA sheet.");
    return false;
  }
  if (paths.length > 0) {
    throw new UsageError(`--manual merges a TA sheet into the existing documents in --out without regrading; give no submission paths with it (got ${paths.join(" ")}).`);
  }
  const gradingOnly = ["assignment", "solutions", "cellTimeout", "timeout"].filter((o) => command.getOptionValueSource(o) === "cli");
  if (gradingOnly.length) {
    const flags = gradingOnly.map((o) => "--" + o.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()));
    throw new UsageError(`${flags.join(", ")} ${flags.length === 1 ? "applies" : "apply"} to grading, not to --manual (which regrades nothing).`);
  }
  return true;
}

/** `courseware grade --manual <sheet> --out <dir>`: merge and report. */
export async function runManualMerge(sheet: string, outDir: string): Promise<void> {
  await access(sheet).catch(() => {
    throw new UsageError(`No such file: ${sheet}`);
  });
  const plan = await mergeSheet(outDir, sheet);
  const pending = plan.documents.flatMap((d) => (d.needsManualGrading ?? d.manual.filter((m) => m.score === null).map((m) => m.id)).map((id) => `${d.student}/${id}`));
  console.log(`${sheet}: ${plan.rows} rows merged into ${outDir}/ (${plan.writes.length} files changed, nothing regraded)`);
  for (const d of plan.documents) console.log(`  ${d.student.padEnd(24)} ${d.status.padEnd(8)} ${d.score} / ${d.maxScore}`);
  console.log(pending.length ? `  still waiting for a TA: ${pending.join(", ")}` : "  every free-text answer has a score");
}
