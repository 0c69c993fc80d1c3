import { randomBytes } from "node:crypto";
import { lstat, mkdir, readFile, readdir, realpath, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { modelCacheDir } from "@courseware/lib";
import type { Assignment } from "../assignment/load-assignment.js";
import { pickAssignment } from "../assignment/pick-assignment.js";
import { sourceOf } from "../notebook/nbformat.js";
import { CellCompiler } from "./compile/cell-compiler.js";
import { MAX_SUBMISSION_BYTES, collectSubmissions } from "../collect/collect-submissions.js";
import { type GradeContext, type Submission, gradeSubmission } from "./grade-submission.js";
import { QueueCoordinator, QueueJobFailure } from "../queue/coordinator.js";
import { ATTEMPTS, gradingJob } from "../queue/grading-job.js";
import { finishDocument, startDocument } from "./steps/score.js";
import { type Manifest, type ManifestChange, batchManifest, manifestChanges, sha256 } from "./manifest.js";
import { preflight } from "./preflight.js";
import { computeReference } from "./reference.js";
import { listTests } from "./run-tests.js";
import { DEFAULT_LIMITS, type SandboxLimits } from "./sandbox.js";
import { assertScoreDocument, assertSummaryDocument } from "./schema.js";
import { type ScoreDocument, type SummaryDocument, batchStaffNotes, modifiedAt, summarize } from "./score-document.js";
import { GRADER_VERSION } from "../version.js";

export interface GradeBatchOptions {
  inputs: string[];
  outDir: string;
  /** Course project root: holds node_modules (tslab, @courseware/lib) and solutions/. */
  projectRoot: string;
  solutionsDir: string;
  assignment?: string;
  limits?: Partial<SandboxLimits>;
  /** Submissions graded at once, each in its own sandbox (default: the number of cores). */
  jobs?: number;
  /** Keep a student's existing score document when it was made from the same file under the same manifest. */
  resume?: boolean;
  /** Called once per submission as it finishes (in finishing order); `reused` when --resume kept it. */
  onProgress?: (done: number, total: number, doc: ScoreDocument, reused: boolean) => void;
  /** A Redis URL: grade through the job queue, by `courseware worker`s, instead of in local sandboxes. */
  queue?: string;
  /** Where queue mode reports the connection (default stderr). */
  say?: (line: string) => void;
}

export interface GradeBatchResult {
  summary: SummaryDocument;
  /** In the order of the submissions (sorted by path), whatever order they finished in. */
  documents: ScoreDocument[];
  messages: string[];
  /** How many documents --resume kept. */
  reused: number;
  /** With --resume: how many earlier documents were graded again because the tests, model, grader or sandbox changed. */
  regraded: Record<ManifestChange, number>;
  /** Queue mode: submissions no worker would grade (a worker's manifest differs), with why; they have no document. */
  refused: Array<{ student: string; reason: string }>;
}


/** The valid score document already in `file`, if any. */
async function previousDocument(file: string): Promise<ScoreDocument | null> {
  try {
    const doc: unknown = JSON.parse(await readFile(file, "utf8"));
    assertScoreDocument(doc);
    return doc;
  } catch {
    return null;
  }
}

/**
 * Whether --resume may keep `doc`: made from these bytes, for this assignment, under this batch's manifest. When
 * only the manifest differs, what changed in it (the end screen counts those regrades).
 */
async function reusable(doc: ScoreDocument | null, submission: string, assignment: string, manifest: Manifest): Promise<{ keep: boolean; changes: ManifestChange[] }> {
  if (doc === null || doc.assignment !== assignment) return { keep: false, changes: [] };
  if (doc.submission.sha256 !== sha256(await readFile(submission).catch(() => Buffer.alloc(0)))) return { keep: false, changes: [] };
  const changes = manifestChanges(doc.manifest, manifest);
  return { keep: changes.length === 0, changes };
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Submissions a coordinator keeps on the queue at once: more than a large pool of workers takes, far fewer than open files allow. */
const QUEUE_IN_FLIGHT = 512;

/** The staff's note on refused submissions: each reason once, with how many it concerns. */
function refusalNotes(refused: GradeBatchResult["refused"]): string[] {
  const byReason = new Map<string, number>();
  for (const r of refused) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
  return [...byReason].map(([reason, n]) => `${n} submission${n === 1 ? " was" : "s were"} not graded: ${reason}. Fix that worker and run again with --resume.`);
}

/** The document of a submission the queue could not grade on any attempt (its worker died or failed each time). */
function failedInQueue(sub: Submission & { source: string; replaces?: string }, ctx: GradeContext, reason: string): ScoreDocument {
  const doc = startDocument(sub, ctx);
  doc.status = "error";
  doc.messages.push("Your notebook could not be graded: grading it stopped the grader on every attempt. Your course staff have been told.");
  doc.staffNotes!.push(`Queue: the job failed on all ${ATTEMPTS} attempts: ${reason}`);
  return finishDocument(doc, Date.now(), sub.replaces);
}

/** What a notebook may read: installed packages (and the workspace folders they link to) and the model cache. */
async function readablePaths(projectRoot: string): Promise<string[]> {
  const modules = join(projectRoot, "node_modules");
  const paths = [modules, modelCacheDir()];
  const scan = async (dir: string, depth: number): Promise<void> => {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const full = join(dir, name);
      const info = await lstat(full);
      if (info.isSymbolicLink()) paths.push(await realpath(full));
      else if (depth === 0 && name.startsWith("@") && info.isDirectory()) await scan(full, 1);
    }
  };
  await scan(modules, 0);
  return paths;
}

/** Everything gradeSubmission needs besides the submission. */
export async function gradingContext(
  assignment: Assignment,
  reference: unknown,
  projectRoot: string,
  limits: Partial<SandboxLimits> = {},
): Promise<GradeContext> {
  // One flat folder per submission, <root>/.courseware-work/<run>-<n>: TypeScript looks for node_modules in every
  // parent folder, and a deeper folder whose parents the sandbox may not read breaks its module resolution.
  const env: Record<string, string> = { PATH: "/usr/local/bin:/usr/bin:/bin", COURSEWARE_MODEL_CACHE: modelCacheDir() };
  if (process.env["COURSEWARE_MODEL"]) env["COURSEWARE_MODEL"] = process.env["COURSEWARE_MODEL"];
  const workRoot = join(projectRoot, ".courseware-work");
  const readable = await readablePaths(projectRoot);
  const allLimits = { ...DEFAULT_LIMITS, ...limits };
  return {
    assignment,
    reference,
    workRoot,
    readable,
    env,
    limits: allLimits,
    compiler: new CellCompiler({ workRoot, readable, env, timeoutMs: allLimits.compileTimeoutMs, maxHeapMb: allLimits.maxHeapMb }),
    graderVersion: GRADER_VERSION,
  };
}

/**
 * What grading an assignment needs besides the submissions, as a batch (and a queue worker) starts: its tests
 * listed, the context, the sandbox probe (one message if this machine cannot grade, not an error per student), the
 * manifest, and unless told not to, the reference values, computed while the probe runs and the compile server
 * warms up on the cells every submission shares.
 */
export async function prepareGrading(
  assignment: Assignment,
  projectRoot: string,
  limits: Partial<SandboxLimits> = {},
  options: { reference: boolean; warm: boolean } = { reference: true, warm: true },
): Promise<GradeContext & { manifest: Manifest }> {
  for (const q of assignment.questions) for (const cell of q.tests) await listTests(cell);
  const base = await gradingContext(assignment, {}, projectRoot, limits);
  // the reference values are computed (in their own process) while the probe runs; its verdict comes first
  const reference = options.reference ? computeReference(assignment) : Promise.resolve({});
  reference.catch(() => undefined);
  try {
    const layers = await preflight(base);
    const manifest = await batchManifest(assignment, projectRoot, layers);
    if (options.warm) void base.compiler.warm(assignment.release.cells.filter((c) => c.cell_type === "code").map(sourceOf));
    return { ...base, reference: await reference, manifest };
  } catch (e) {
    await base.compiler.close();
    throw e;
  }
}

export async function gradeBatch(opts: GradeBatchOptions): Promise<GradeBatchResult> {
  const { submissions, messages, cleanup } = await collectSubmissions(opts.inputs);
  let assignment: Assignment;
  let ctx: GradeContext & { manifest: Manifest };
  try {
    const notebooks = submissions.filter((s) => !s.problem).map((s) => ({ file: s.file, label: s.source ?? s.file }));
    assignment = await pickAssignment(opts.solutionsDir, opts.assignment, notebooks);
    // queue mode: the workers compute the reference and compile; here only what does not run is graded
    ctx = await prepareGrading(assignment, opts.projectRoot, opts.limits, { reference: !opts.queue, warm: !opts.queue && submissions.length > 1 });
  } catch (e) {
    await cleanup();
    throw e;
  }
  const { manifest } = ctx;
  const coordinator = opts.queue ? await QueueCoordinator.open(opts.queue, opts.say ?? ((l) => console.error(l))).catch(async (e: unknown) => { await ctx.compiler.close(); await cleanup(); throw e; }) : null;
  const refused: GradeBatchResult["refused"] = [];
  /** One submission's document: graded here, or by a queue worker when it has a notebook to run. */
  const grade = async (sub: Submission & { source: string; replaces?: string }, i: number, slot: number): Promise<ScoreDocument | null> => {
    const bytes = coordinator && !sub.problem ? await readFile(sub.file).catch(() => null) : null;
    if (!coordinator || !bytes || bytes.length > MAX_SUBMISSION_BYTES) return gradeSubmission(sub, ctx, `${runId}-${i}`, slot); // stops before running
    try {
      return await coordinator.grade(gradingJob(assignment.name, manifest, sub, bytes, opts.limits ?? {}));
    } catch (e) {
      if (!(e instanceof QueueJobFailure)) throw e;
      if (e.refused) return refused.push({ student: sub.student, reason: e.reason }), null;
      return failedInQueue(sub, ctx, e.reason);
    }
  };
  const { workRoot } = ctx;
  const runId = `${process.pid}-${randomBytes(4).toString("hex")}`;
  await mkdir(join(opts.outDir, "students"), { recursive: true });
  // in queue mode up to QUEUE_IN_FLIGHT submissions are on the queue at once (each in flight holds files open
  // while it is read); the workers' --jobs set the pace
  const jobs = Math.max(1, Math.min(coordinator ? QUEUE_IN_FLIGHT : (opts.jobs ?? availableParallelism()), submissions.length || 1));
  const documents: Array<ScoreDocument | undefined> = new Array(submissions.length);
  let next = 0;
  let done = 0;
  let reused = 0;
  const regraded: Record<ManifestChange, number> = { tests: 0, model: 0, grader: 0, sandbox: 0 };
  const worker = async (slot: number) => {
    for (let i = next++; i < submissions.length; i = next++) {
      const sub = submissions[i]!;
      const file = join(opts.outDir, `students/${sub.student}.json`);
      const previous = await previousDocument(file);
      const check = opts.resume ? await reusable(previous, sub.file, assignment.name, manifest) : { keep: false, changes: [] };
      for (const c of check.changes) regraded[c] += 1;
      const kept = check.keep ? previous : null;
      let doc: ScoreDocument;
      if (kept) {
        doc = kept;
        reused++;
      } else {
        const source = sub.source !== undefined && sub.source !== sub.file ? sub.source : relative(opts.projectRoot, sub.file) || sub.file;
        // a regrade replaces the earlier score: its time must be later (LTI platforms refuse an older timestamp)
        const replaces = previous ? modifiedAt(previous) : undefined;
        const graded = await grade({ ...sub, source, ...(replaces !== undefined && { replaces }) }, i, slot);
        if (!graded) continue; // refused by the queue's workers: said at the end, no document
        doc = graded;
        assertScoreDocument(doc);
        await writeAtomic(file, JSON.stringify(doc, null, 2) + "\n");
      }
      documents[i] = doc;
      opts.onProgress?.(++done, submissions.length, doc, kept !== null);
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, (_, slot) => worker(slot)));
  } finally {
    await coordinator?.close();
    await ctx.compiler.close();
    await rmdir(workRoot).catch(() => undefined); // only when empty: another batch may be running
    await cleanup();
  }
  const finished = documents.filter((d): d is ScoreDocument => d !== undefined);
  const files = finished.map((doc) => ({ doc, file: `students/${doc.student}.json` }));
  const notes = [...batchStaffNotes(messages, finished), ...refusalNotes(refused)];
  const summary = summarize(assignment.name, files, notes, manifest);
  assertSummaryDocument(summary);
  await writeAtomic(join(opts.outDir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  return { summary, documents: finished, messages, reused, regraded, refused };
}
