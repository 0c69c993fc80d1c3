import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { assign } from "./assign/assign.js";
import { addFeedbackCommand } from "./feedback/command.js";
import { addReportCommand } from "./report/command.js";
import { USAGE_EXIT, exitCodeOf } from "./errors.js";
import { gradeBatch } from "./grade/grade-batch.js";
import { runWorker } from "./queue/worker.js";
import { addManualCommands, runManualMerge, wantsManualMerge } from "./manual/command.js";
import { checkModel } from "./model/check-model.js";
import { quantizeFolder } from "./model/quantize-folder.js";
import { validateNotebook } from "./validate/validate.js";
import { registerExportCommand } from "./export/command.js";
import { batchReport } from "./grade/batch-report.js";
import { progressReporter } from "./grade/progress.js";
import { GRADER_VERSION } from "./version.js";


interface GradeOptions {
  out: string;
  manual?: string;
  assignment?: string;
  solutions: string;
  cellTimeout?: number;
  timeout?: number;
  compileTimeout?: number;
  jobs?: number;
  resume?: boolean;
  queue?: string;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number of seconds");
  return n * 1000;
}

const program = new Command()
  .name("courseware")
  .description("Generate student notebooks from instructor sources and grade submissions.")
  .version(GRADER_VERSION)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT));

program
  .command("assign")
  .description("write assignments/<name>/<name>.ipynb from solutions/<name>/<name>.ipynb (solutions cleared, hidden tests removed)")
  .argument("[names...]", "assignments to release (default: all)")
  .option("--check", "write nothing; fail when a release notebook is missing or differs from its source")
  .option("--solutions <dir>", "instructor source notebooks", "solutions")
  .option("--assignments <dir>", "where release notebooks go", "assignments")
  .action(async (names: string[], opts: { check?: boolean; solutions: string; assignments: string }) => {
    const results = await assign({ names, check: !!opts.check, solutionsDir: opts.solutions, assignmentsDir: opts.assignments });
    let stale = 0;
    for (const r of results) {
      if (r.status === "stale" || r.status === "missing") stale++;
      const note = r.status === "stale" ? " (differs from its source: run `courseware assign`)" : r.status === "missing" ? " (run `courseware assign`)" : "";
      console.log(`${r.status.padEnd(9)} ${r.releasePath}${note}`);
    }
    if (stale) process.exitCode = 1;
  });

program
  .command("grade")
  .description("grade notebooks (files or folders) and write one JSON score document per student plus summary.json")
  .argument("[paths...]", "submission files or folders of .ipynb files (none with --manual)")
  .requiredOption("--out <dir>", "output folder")
  .option("--manual <sheet.csv>", "merge the TAs' scores and comments from a filled `courseware manual sheet` into the documents in --out, without regrading")
  .option("--assignment <name>", "assignment to grade against (default: the only one in solutions/, else the one the notebooks name)")
  .option("--solutions <dir>", "instructor source notebooks", "solutions")
  .option("--cell-timeout <seconds>", "time limit per code cell", seconds)
  .option("--timeout <seconds>", "time limit per notebook", seconds)
  .option("--compile-timeout <seconds>", "time limit for compiling one code cell", seconds)
  .option("--jobs <n>", "submissions graded at once (default: the number of cores)", count)
  .option("--resume", "keep existing results made from the same file under the same manifest (tests, model, grader, sandbox)")
  .option("--queue <redis-url>", "grade through a Redis job queue served by `courseware worker`s (grader/docs/queue.md)")
  .action(async (paths: string[], opts: GradeOptions, cmd: Command) => {
    if (wantsManualMerge(paths, opts, cmd)) return runManualMerge(opts.manual!, opts.out);
    const limits = {
      ...(opts.cellTimeout && { cellTimeoutMs: opts.cellTimeout }),
      ...(opts.timeout && { totalTimeoutMs: opts.timeout }),
      ...(opts.compileTimeout && { compileTimeoutMs: opts.compileTimeout }),
    };
    const progress = progressReporter();
    const { summary, reused, regraded, refused } = await gradeBatch({
      inputs: paths,
      outDir: opts.out,
      projectRoot: process.cwd(),
      solutionsDir: resolve(opts.solutions),
      limits,
      resume: !!opts.resume,
      ...(opts.jobs !== undefined && { jobs: opts.jobs }),
      ...(opts.assignment !== undefined && { assignment: opts.assignment }),
      onProgress: progress.update,
      ...(opts.queue !== undefined && { queue: opts.queue }),
    }).finally(progress.stop);
    console.log(`\n${batchReport(summary, opts.out, reused, regraded)}`);
    if (refused.length > 0) {
      console.log(`\n  ${refused.length} submission(s) not graded: a worker's setup differs from this batch's (see the staff notes above); ${refused.map((r) => r.student).join(", ")}`);
      process.exitCode = 3;
    }
  });

program
  .command("worker")
  .description("grade jobs from a Redis job queue that `courseware grade --queue` fills, until stopped (SIGTERM finishes the jobs in hand)")
  .requiredOption("--queue <redis-url>", "the queue's Redis server, e.g. redis://10.0.0.5:6379")
  .option("--jobs <n>", "jobs graded at once, each in its own sandbox (default: the number of cores)", count)
  .option("--solutions <dir>", "instructor source notebooks", "solutions")
  .option("--name <name>", "this worker's name in the documents and messages (default: host:pid)")
  .action(async (opts: { queue: string; jobs?: number; solutions: string; name?: string }) => {
    const lockMs = process.env["COURSEWARE_QUEUE_LOCK_MS"] ? Number(process.env["COURSEWARE_QUEUE_LOCK_MS"]) : undefined;
    process.exitCode = await runWorker({
      queue: opts.queue,
      projectRoot: process.cwd(),
      solutionsDir: resolve(opts.solutions),
      jobs: opts.jobs ?? availableParallelism(),
      ...(opts.name !== undefined && { name: opts.name }),
      ...(lockMs !== undefined && lockMs > 0 && { lockMs }),
    });
  });

program
  .command("validate")
  .description("run a notebook with the public tests only (as the grader would) and report what passes and why")
  .argument("<notebook>", "the .ipynb file to check")
  .option("--assignment <name>", "assignment it belongs to (default: the one the notebook names, the only one, or the file name)")
  .option("--solutions <dir>", "instructor source notebooks", "solutions")
  .option("--json", "print the score document instead of the report")
  .action(async (notebook: string, opts: { assignment?: string; solutions: string; json?: boolean }) => {
    const result = await validateNotebook({
      notebook,
      projectRoot: process.cwd(),
      solutionsDir: resolve(opts.solutions),
      ...(opts.assignment !== undefined && { assignment: opts.assignment }),
    });
    console.log(opts.json ? JSON.stringify(result.document, null, 2) : result.report);
    process.exitCode = result.ok ? 0 : 1;
  });

addManualCommands(program);
addFeedbackCommand(program);
addReportCommand(program);

const model = program.command("model").description("work with model folders (see model-cache/README.md)");

model
  .command("quantize")
  .description("write onnx/model_quantized.onnx (8-bit) from onnx/model.onnx of a model folder")
  .argument("<dir>", "model folder")
  .option("--dynamic", "quantize activations at run time too (MatMulInteger): faster on big models, less exact")
  .action((dir: string, opts: { dynamic?: boolean }) => {
    const r = quantizeFolder(dir, opts.dynamic ? "dynamic" : "weights");
    console.log(`${r.output}: ${r.report.matmuls} MatMul and ${r.report.gathers} Gather weights in int8, ` +
      `${(r.report.bytesAfter / 1e6).toFixed(2)} MB (${((100 * r.report.bytesAfter) / r.report.bytesBefore).toFixed(1)}% of fp32)`);
  });

model
  .command("check")
  .description("load a model folder offline, print its module tree and a short greedy generation")
  .argument("<dir>", "model folder")
  .option("--prompt <text>", "prompt for the generation", "A language model is")
  .action(async (dir: string, opts: { prompt: string }) => {
    const { lines } = await checkModel(dir, opts.prompt);
    for (const line of lines) console.log(line);
  });

registerExportCommand(program);

program.parseAsync().catch((e: Error) => {
  console.error(`courseware: ${e.message}`);
  process.exit(exitCodeOf(e));
});
