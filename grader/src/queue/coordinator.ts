// The coordinator's side of the queue: it enqueues one job per submission and hands back each job's score
// document as a worker finishes it. Jobs already in the queue (a restarted coordinator, a batch submitted again)
// are picked up, not added twice: finished ones give their result at once. Each time the connection to Redis comes
// back, the jobs still waited for are looked at again, and those Redis no longer has (a server restarted without
// persistence, or flushed) are added again: a batch survives losing the queue's contents.
import { Job, Queue, QueueEvents } from "bullmq";
import type { ScoreDocument } from "../grade/score-document.js";
import { connectionFor, ready, reportConnection } from "./connection.js";
import { ATTEMPTS, type GradingJob, type GradingResult, QUEUE_NAME, REFUSAL, jobIdOf } from "./grading-job.js";

/** A job that ended without a document: refused by a worker, or failed on every attempt. */
export class QueueJobFailure extends Error {
  constructor(
    readonly reason: string,
    /** A worker whose manifest differs would not grade it. */
    readonly refused: boolean,
  ) {
    super(reason);
  }
}

export class QueueCoordinator {
  private readonly pending = new Map<string, { job: GradingJob; resolve(doc: ScoreDocument): void; reject(e: Error): void }>();
  private toAdd: Array<{ id: string; job: GradingJob }> = [];
  private flushing: Promise<void> | null = null;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly say: (line: string) => void,
  ) {
    events.on("completed", ({ jobId, returnvalue }) => this.settle(jobId, () => (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as GradingResult));
    events.on("failed", ({ jobId, failedReason }) => void this.failed(jobId, failedReason).catch((e: Error) => this.settleError(jobId, e)));
  }

  static async open(url: string, say: (line: string) => void): Promise<QueueCoordinator> {
    const connection = connectionFor(url);
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    const connected = [reportConnection(queue, url, say), reportConnection(events, url, say)];
    try {
      await ready(queue, url);
      await ready(events, url);
      for (const made of connected) made();
    } catch (e) {
      void Promise.allSettled([queue.close(), events.close()]); // closing waits for a connection that never came
      throw e;
    }
    const coordinator = new QueueCoordinator(queue, events, say);
    // ioredis says "ready" on every (re)connection; the first one is behind us
    (await queue.backend.client).on("ready", () => void coordinator.recover().catch((e: Error) => say(`Could not look at the batch's jobs after reconnecting to Redis: ${e.message}`)));
    return coordinator;
  }

  /** The job's score document, once a worker has graded it. */
  grade(job: GradingJob): Promise<ScoreDocument> {
    const id = jobIdOf(job);
    return new Promise<ScoreDocument>((resolve, reject) => {
      this.pending.set(id, { job, resolve, reject });
      this.toAdd.push({ id, job });
      this.flushing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flush());
    });
  }

  /** Adds the jobs asked for since the last flush in one round trip, then looks at those that were there before. */
  private async flush(): Promise<void> {
    const batch = this.toAdd;
    this.toAdd = [];
    this.flushing = null;
    try {
      const jobs = await this.add(batch);
      for (const j of jobs) this.lookAt(j.id!).catch((e: Error) => this.settleError(j.id!, e));
    } catch (e) {
      for (const { id } of batch) this.settleError(id, e as Error);
    }
  }

  /** Adds jobs; one whose id the queue already has is left as it is (BullMQ's addBulk returns the existing job). */
  private add(batch: Array<{ id: string; job: GradingJob }>): Promise<Job[]> {
    return this.queue.addBulk(
      batch.map(({ id, job }) => ({
        name: "grade",
        data: job,
        opts: { jobId: id, attempts: ATTEMPTS, backoff: { type: "fixed", delay: 1000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
      })),
    );
  }

  /** After a reconnection: takes the results finished meanwhile and adds again the jobs Redis lost. */
  private async recover(): Promise<void> {
    const adding = new Set(this.toAdd.map((a) => a.id)); // not on the queue yet: the next flush adds them
    const waited = [...this.pending].filter(([id]) => !adding.has(id));
    const states = await Promise.all(waited.map(([id]) => this.queue.getJobState(id)));
    const lost = waited.filter((_, i) => states[i] === "unknown").map(([id, { job }]) => ({ id, job }));
    if (lost.length > 0) {
      this.say(`Redis came back without ${lost.length} of the ${waited.length} jobs this batch waits for (was it restarted without persistence, or flushed?); adding them again.`);
      await this.add(lost);
    }
    await Promise.all(waited.map(([id]) => this.lookAt(id).catch((e: Error) => this.settleError(id, e))));
  }

  /** A job that already existed may be finished: take its result, or try a refused one again. */
  private async lookAt(id: string): Promise<void> {
    const state = await this.queue.getJobState(id);
    if (state === "completed") {
      const job = await Job.fromId<GradingJob, GradingResult>(this.queue, id);
      if (job?.returnvalue) this.settle(id, () => job.returnvalue);
    } else if (state === "failed") {
      const job = await Job.fromId(this.queue, id);
      if (job && job.failedReason?.startsWith(REFUSAL)) await job.retry("failed"); // a worker may have been fixed since
      else if (job) this.settleError(id, new QueueJobFailure(job.failedReason ?? "failed", false));
    }
  }

  private async failed(id: string, reason: string): Promise<void> {
    if (!this.pending.has(id)) return;
    // an ordinary failure is retried by BullMQ until its attempts are spent; only then is it final
    const job = await Job.fromId(this.queue, id);
    const final = !job || reason.startsWith(REFUSAL) || job.attemptsMade >= ATTEMPTS || (await job.getState()) === "failed";
    if (final) this.settleError(id, new QueueJobFailure(reason.startsWith(REFUSAL) ? reason.slice(REFUSAL.length).trim() : reason, reason.startsWith(REFUSAL)));
  }

  private settle(id: string, value: () => GradingResult): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    try {
      p.resolve(value());
    } catch (e) {
      p.reject(e as Error);
    }
  }

  private settleError(id: string, e: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(e);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}
