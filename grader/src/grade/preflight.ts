// Before a batch (or `courseware validate`) runs a student's notebook, one probe notebook runs exactly as a
// submission's does: the batch's compile server compiles it, and a sandbox started by isolate.ts (same command,
// permission flags, readable paths, user and bubblewrap as for the students) runs it with tslab's executor. Its cell
// imports what the lesson's notebooks import, @courseware/lib (which loads onnxruntime-node's native addon), and
// hands a value back. When that fails, no submission could be graded: the command stops with one message for the
// staff (GraderEnvironmentError, exit code 3) instead of an `error` result for every student.
// A sandbox that fails later, for one submission, still gives that student an `error` result.
import { randomBytes } from "node:crypto";
import { mkdir, rm, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { GraderEnvironmentError } from "../errors.js";
import { firstErrorLine } from "./cell-errors.js";
import type { GradeContext } from "./grade-submission.js";
import { permissionModelFlags } from "./node-flags.js";
import { DEFAULT_LIMITS, runInSandbox } from "./sandbox.js";

const PROBE_CELL = 'import * as courseware from "@courseware/lib";\nlet probe = typeof courseware.loadModel;';
const EXPECTED = { probe: { kind: "json", value: "function" } };

/**
 * Runs the probe notebook; resolves to the isolation layers its sandbox had when it worked. Otherwise closes
 * `ctx.compiler` and throws a GraderEnvironmentError that says what failed and what to do.
 */
export async function preflight(ctx: GradeContext): Promise<string[]> {
  const workDir = join(ctx.workRoot, `preflight-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(workDir, { recursive: true });
  const compiler = ctx.compiler.session(workDir);
  // the batch's own limits, but never less time than a default notebook gets to start
  const limits = { ...ctx.limits, totalTimeoutMs: Math.max(ctx.limits.totalTimeoutMs, DEFAULT_LIMITS.totalTimeoutMs), cellTimeoutMs: Math.max(ctx.limits.cellTimeoutMs, DEFAULT_LIMITS.cellTimeoutMs) };
  let problem: string | null;
  let layers: string[] = [];
  try {
    const run = await runInSandbox([PROBE_CELL], ["probe"], { workDir, compiler, slot: 0, readable: ctx.readable, env: { ...ctx.env, HOME: workDir }, limits });
    const cell = run.cells[0];
    layers = run.layers;
    if (run.outcome !== "completed") problem = run.detail ?? run.outcome;
    else if (!cell?.ok) problem = `a cell that imports @courseware/lib fails: ${(cell && firstErrorLine(cell.outputs)) ?? "no reply"}`;
    else if (JSON.stringify(run.values) !== JSON.stringify(EXPECTED)) problem = `the probe notebook handed over ${JSON.stringify(run.values)} instead of ${JSON.stringify(EXPECTED)}`;
    else problem = null;
  } catch (e) {
    problem = (e as Error).message;
  } finally {
    compiler.close();
    await rm(workDir, { recursive: true, force: true });
  }
  if (problem === null) return layers;
  await ctx.compiler.close();
  await rmdir(ctx.workRoot).catch(() => undefined); // only when empty: another batch may be running
  throw new GraderEnvironmentError(environmentMessage(problem, dirname(ctx.workRoot)));
}

/** The line of a process's stderr that says why it failed, without Node's warnings and the stack. */
function mainLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => !/^\(node:\d+\) (\[\w+\] )?\w*Warning:|^\(Use `node --trace-warnings/.test(l.trim()));
  return firstErrorLine([{ error: lines.join("\n") }]) ?? stderr.trim();
}

/** The staff's message: what failed, on which Node.js, and what to do about it. */
export function environmentMessage(problem: string, projectRoot: string): string {
  const start = /^the notebook process failed to start: ([^]*)$/.exec(problem);
  const reason = (start ? mainLine(start[1]!) : problem).replace(/\.$/, "");
  let todo: string;
  if (/bad option|unknown option/i.test(reason)) {
    todo = `This Node.js does not accept the sandbox's flags (${permissionModelFlags().join(" ")}); the grader supports Node.js 20.19+, 22.12+, 24 and 26.`;
  } else if (/Cannot find (module|package)|MODULE_NOT_FOUND/.test(reason)) {
    todo = `A package is missing or the project is not built: run \`npm ci && npm run build\` in ${projectRoot}, with this Node.js, and run the command again.`;
  } else if (/ERR_DLOPEN|\.node\b|onnxruntime/i.test(reason)) {
    todo = "onnxruntime-node's native addon cannot be loaded: reinstall the packages with `npm ci` and run the command again.";
  } else {
    todo = `Check the installation (\`npm ci && npm run build\` in ${projectRoot}, with this Node.js) and run the command again.`;
  }
  return `The sandbox could not start on Node.js ${process.version}, so no notebook was run: ${reason}. ${todo}`;
}
