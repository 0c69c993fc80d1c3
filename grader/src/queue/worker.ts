// `courseware worker --queue URL`: takes grading jobs from the queue and grades each in a local sandbox, exactly as
// a local batch does. Before it grades a job it checks the job's manifest against its own (tests, model, grader,
// sandbox): a worker set up differently refuses, says what differs, and stops taking jobs. SIGTERM/SIGINT let the
// jobs in hand finish, then the worker exits; a worker that dies mid-job loses nothing (BullMQ hands the job to
// another worker once its lock runs out).
import { mkdir, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { UnrecoverableError, Worker } from "bullmq";
import { loadAssignment } from "../assignment/load-assignment.js";
import { prepareGrading } from "../grade/grade-batch.js";
import { type GradeContext, gradeSubmission } from "../grade/grade-submission.js";
import { type Manifest, manifestChanges, manifestDifferences } from "../grade/manifest.js";
import { assertScoreDocument } from "../grade/schema.js";
import { connectionFor, ready, reportConnection, shownUrl } from "./connection.js";
import { ATTEMPTS, type GradingJob, type GradingResult, QUEUE_NAME, REFUSAL } from "./grading-job.js";

export interface WorkerOptions {
  queue: string;
  projectRoot: string;
  solutionsDir: string;
  /** Jobs graded at once, each in its own sandbox. */
  jobs: number;
  /** How this worker is named in the documents it makes and in its messages (default: host and process id). */
  name?: string;
  /** How long a job's lock lasts without renewal: a worker that died is noticed after about this long. */
  lockMs?: number;
  say?: (line: string) => void;
}

interface Setup {
  ctx: GradeContext & { manifest: Manifest };
}

/** Runs until stopped; resolves with the exit code (0 stopped, 3 refused a job). */
export async function runWorker(opts: WorkerOptions): Promise<number> {
  const say = opts.say ?? ((line: string) => console.error(line));
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const setups = new Map<string, Promise<Setup>>();
  const setupFor = (assignment: string): Promise<Setup> => {
    let s = setups.get(assignment);
    if (!s) {
      s = prepare(opts, assignment);
      s.catch(() => setups.delete(assignment));
      setups.set(assignment, s);
    }
    return s;
  };
  const free = Array.from({ length: opts.jobs }, (_, i) => i);
  let refused = false;
  const lockDuration = opts.lockMs ?? 30_000;
  const worker = new Worker<GradingJob, GradingResult>(
    QUEUE_NAME,
    async (job) => {
      const refuse = (why: string): never => {
        if (!refused) say(`Refused a job: ${why}. Stopping; set this machine up as the batch's (same solutions, model, lockfile, Node.js, sandbox) and start it again.`);
        refused = true;
        void worker.close();
        throw new UnrecoverableError(`${REFUSAL} ${why}`);
      };
      const { ctx } = await setupFor(job.data.assignment).catch((e: Error) => refuse(`worker ${name} cannot grade ${job.data.assignment}: ${e.message}`));
      const changes = manifestChanges(job.data.manifest, ctx.manifest);
      if (changes.length > 0) refuse(`worker ${name} will not grade with other ${changes.join(", ")}: ${manifestDifferences(job.data.manifest, ctx.manifest).join("; ")}`);
      const slot = free.shift() ?? 0;
      say(`${name}: grading ${job.data.submission.student} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
      const dir = join(ctx.workRoot, `job-${job.id!.slice(6, 22)}-${process.pid}-${slot}`);
      try {
        const { fileName, notebook, ...sub } = job.data.submission;
        await mkdir(dir, { recursive: true });
        const file = join(dir, fileName || "submission.ipynb");
        await writeFile(file, Buffer.from(notebook, "base64"));
        const { limits, ...rest } = sub;
        const doc = await gradeSubmission({ ...rest, file }, { ...ctx, limits: { ...ctx.limits, ...limits } }, `${job.id!.slice(6, 22)}-${job.attemptsMade}`, slot);
        doc.grader.worker = name;
        assertScoreDocument(doc);
        return doc;
      } finally {
        free.push(slot);
        await rm(dir, { recursive: true, force: true });
      }
    },
    { connection: connectionFor(opts.queue), concurrency: opts.jobs, lockDuration, stalledInterval: Math.max(1000, lockDuration / 2), maxStalledCount: ATTEMPTS - 1, autorun: false },
  );
  const connected = reportConnection(worker, opts.queue, say);
  await ready(worker, opts.queue);
  connected();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    say(`Stopping: finishing the jobs in hand.`);
    void worker.close();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  say(`Worker ${name} grading jobs from ${shownUrl(opts.queue)}, ${opts.jobs} at a time.`);
  await worker.run();
  for (const s of setups.values()) await s.then(({ ctx }) => ctx.compiler.close()).catch(() => undefined);
  process.off("SIGTERM", stop);
  process.off("SIGINT", stop);
  return refused ? 3 : 0;
}

/** What grading one assignment needs, made once per assignment: the same start as a local batch's. */
async function prepare(opts: WorkerOptions, name: string): Promise<Setup> {
  return { ctx: await prepareGrading(await loadAssignment(opts.solutionsDir, name), opts.projectRoot) };
}
