// Step 3, execute: the cells run in a sandbox of their own (sandbox.ts), and what happened, in words for each reader.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { sourceOf } from "../../notebook/nbformat.js";
import { firstErrorLine } from "../cell-errors.js";
import { capitalized } from "../cell-labels.js";
import type { GradeContext } from "../grade-submission.js";
import { type SandboxRun, runInSandbox } from "../sandbox.js";
import type { Status } from "../score-document.js";
import type { Notes } from "./notes.js";
import type { Rebuilt } from "./rebuild.js";

export interface Executed extends Notes {
  run: SandboxRun;
  status: Status;
}

export async function executeNotebook(notebook: Rebuilt, ctx: GradeContext, workName: string, slot: number): Promise<Executed> {
  const workDir = join(ctx.workRoot, workName);
  await mkdir(workDir, { recursive: true });
  let run: SandboxRun;
  const compiler = ctx.compiler.session(workDir);
  try {
    const names = [...new Set(ctx.assignment.questions.flatMap((q) => q.answers))];
    run = await runInSandbox(notebook.codeCells.map(sourceOf), names, { workDir, compiler, slot, readable: ctx.readable, env: { ...ctx.env, HOME: workDir }, limits: ctx.limits, labels: notebook.labels });
  } finally {
    compiler.close();
    await rm(workDir, { recursive: true, force: true });
  }
  const messages: string[] = [];
  const staffNotes: string[] = [];
  if (!run.layers.includes("bubblewrap")) {
    staffNotes.push("Graded without an OS sandbox layer (bubblewrap was not available): the notebook's network access was not blocked.");
  }
  if (process.getuid?.() === 0 && !run.layers.includes("unprivileged-user")) {
    staffNotes.push("Graded as root: the project's packages are not readable by other users, so the notebook could not run as an unprivileged user.");
  }
  run.cells.forEach((cell, i) => {
    const label = capitalized(notebook.labels[i]!);
    if (cell.timedOut) messages.push(`${label} was interrupted after ${ctx.limits.cellTimeoutMs / 1000} s.`);
    else if (!cell.ok) messages.push(`${label} raised ${firstErrorLine(cell.outputs) ?? "an error"}`);
    if (cell.truncated) messages.push(`${label} printed too much; its output was cut.`);
  });
  const status: Status = run.outcome === "completed" ? "graded" : run.outcome === "timeout" ? "timeout" : "error";
  if (run.failedToStart) {
    // the grader's side failed before any of the student's code ran: the details (paths, flags) are the staff's
    messages.push("The grader could not start your notebook; this is a problem on the grader's side, not in your notebook. The course staff have been told and will grade it again.");
    staffNotes.push(`The sandbox did not start, so this submission was not run; grade it again: ${run.detail}.`);
  } else if (run.detail) messages.push(`Grading stopped: ${run.detail}.`);
  return { run, status, messages, staffNotes };
}
