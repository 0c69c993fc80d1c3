// Turns the grader's inputs (files, folders, zip archives as LMSs give them) into one submission per student.
// Student ids come from LMS file names (collect/lms-names.ts); when a student has several files, the latest
// notebook wins and the result says so. Unsafe archive entries, oversized files and students without a
// notebook become submissions with a `problem`, graded as `invalid` with that message: never a crash.
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, extname, join, relative, resolve } from "node:path";
import { type GradescopeRoster, readGradescopeMetadata } from "./gradescope-metadata.js";
import { type NamedSubmission, studentFromPath } from "./lms-names.js";
import { extractZip } from "./read-zip.js";
import type { Submission } from "../grade/grade-submission.js";
import { UsageError } from "../errors.js";

export const MAX_SUBMISSION_BYTES = 20 * 1024 * 1024;

interface Candidate {
  /** How the user would name it: a path, or "archive.zip:entry". */
  source: string;
  file?: string;
  problem?: string;
  modified: number;
  named: NamedSubmission;
  /** Named on the command line: graded whatever its extension. */
  explicit?: boolean;
  /** Said to the staff in the result when this file is graded. */
  note?: string;
  /** When the LMS says it was submitted (ISO 8601). */
  submittedAt?: string;
}

const isNotebook = (name: string) => extname(name).toLowerCase() === ".ipynb";
/** Gradescope's list of who made each submission (collect/gradescope-metadata.ts). */
const isGradescopeMetadata = (path: string) => /(^|\/)submission_metadata\.yml$/.test(path);
/** Files an OS adds to an archive that are nobody's submission. */
const ignored = (path: string) => path.split("/").some((p) => (p.startsWith(".") && p !== "..") || p === "__MACOSX");

/** A metadata file found among the inputs: where it is, and how to name it in messages. */
interface MetadataFile {
  file: string;
  source: string;
}

/** The files under `dir`, sorted, as the grader reads folders: hidden files and folders are skipped. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue; // .ipynb_checkpoints and the like
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await listFiles(full)));
    else if (e.isFile()) files.push(full);
  }
  return files;
}

async function fromArchive(archive: string, scratch: string, metadata: MetadataFile[]): Promise<Candidate[]> {
  const out = join(scratch, String(Date.now()) + Math.random().toString(36).slice(2, 8));
  const entries = await extractZip(archive, out, MAX_SUBMISSION_BYTES, (name) => !ignored(name));
  const candidates: Candidate[] = [];
  for (const e of entries) {
    const source = `${basename(archive)}:${e.name}`;
    if (isGradescopeMetadata(e.name)) {
      if (e.file !== undefined) metadata.push({ file: e.file, source });
      continue;
    }
    candidates.push({
      source,
      ...(e.file !== undefined && { file: e.file }),
      ...(e.problem !== undefined && { problem: e.problem }),
      modified: e.modified.getTime(),
      named: studentFromPath(e.name.replace(/^\/+/, "")),
    });
  }
  return candidates;
}

/** A Gradescope submission folder becomes one candidate per submitter named in the metadata. */
function withSubmitters(c: Candidate, roster: GradescopeRoster): Candidate[] {
  const info = c.named.lms === "gradescope" ? roster.get(c.named.student) : undefined;
  if (!info) return [c];
  const { submitters, submittedAt } = info;
  const folder = c.named.student;
  const note =
    submitters.length > 1
      ? `Gradescope group submission ${folder} of ${submitters.map((s) => s.id).join(", ")}; graded for each of them.`
      : `Gradescope submission ${folder}.`;
  return submitters.map((s) => ({
    ...c,
    named: { ...c.named, student: s.id, kind: s.kind, ...(s.name !== undefined && { name: s.name }) },
    note,
    ...(submittedAt !== undefined && { submittedAt }),
  }));
}

async function fromFile(file: string, root: string): Promise<Candidate> {
  const info = await stat(file);
  return { source: file, file: resolve(file), modified: info.mtimeMs, named: studentFromPath(relative(root, file).split("\\").join("/")) };
}

export interface CollectedSubmissions {
  submissions: Submission[];
  messages: string[];
  /** Removes what was extracted from archives. */
  cleanup(): Promise<void>;
}

/**
 * Files given by name are graded whatever their extension (a bad one becomes an `invalid` result); folders
 * contribute their notebooks and zip archives; an archive contributes every file in it.
 */
export async function collectSubmissions(inputs: string[]): Promise<CollectedSubmissions> {
  let scratch: string | null = null;
  const scratchDir = async () => (scratch ??= await mkdtemp(join(tmpdir(), "courseware-inputs-")));
  const cleanup = async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  };
  let candidates: Candidate[] = [];
  const messages: string[] = [];
  const metadata: MetadataFile[] = [];
  try {
    for (const input of inputs) {
      const info = await stat(input).catch(() => null);
      if (!info) throw new UsageError(`No such file or folder: ${input}`);
      const zips: string[] = [];
      if (info.isDirectory()) {
        for (const file of await listFiles(input)) {
          if (extname(file).toLowerCase() === ".zip") zips.push(file);
          else if (isNotebook(file)) candidates.push(await fromFile(file, input));
          else if (isGradescopeMetadata(file)) metadata.push({ file, source: file });
        }
      } else if (extname(input).toLowerCase() === ".zip") {
        zips.push(input);
      } else {
        candidates.push({ ...(await fromFile(input, resolve(input, ".."))), named: { student: basename(input, extname(input)), kind: "file-name", attempt: 0, late: false }, explicit: true });
      }
      for (const zip of zips) {
        try {
          candidates.push(...(await fromArchive(zip, await scratchDir(), metadata)));
        } catch (e) {
          messages.push((e as Error).message);
        }
      }
    }
    const roster: GradescopeRoster = new Map();
    for (const m of metadata) {
      if ((await stat(m.file)).size > MAX_SUBMISSION_BYTES) messages.push(`${m.source} is over ${MAX_SUBMISSION_BYTES / 1e6} MB; it was not read.`);
      else messages.push(...readGradescopeMetadata(await readFile(m.file, "utf8"), m.source, roster));
    }
    candidates = candidates.flatMap((c) => withSubmitters(c, roster));
  } catch (e) {
    await cleanup();
    throw e;
  }

  const byStudent = new Map<string, Candidate[]>();
  for (const c of candidates) (byStudent.get(c.named.student) ?? byStudent.set(c.named.student, []).get(c.named.student)!).push(c);
  const submissions: Submission[] = [];
  for (const [student, files] of [...byStudent].sort(([a], [b]) => a.localeCompare(b))) {
    const notebooks = files.filter((c) => c.file !== undefined && !c.problem && (isNotebook(c.source) || c.explicit));
    // the latest: Canvas's resubmission number first, then the file's time
    notebooks.sort((a, b) => b.named.attempt - a.named.attempt || b.modified - a.modified || a.source.localeCompare(b.source));
    const chosen = notebooks[0];
    // which file was graded and what the LMS said of it are the staff's business; a problem that leaves nothing
    // to grade is the student's (it is why they got no points)
    const staffNotes: string[] = [];
    const others = files.filter((c) => c !== chosen);
    if (chosen && others.length) {
      staffNotes.push(`${files.length} files were found for ${student}; graded the latest notebook, ${chosen.source}; not graded: ${others.map((c) => c.source).join(", ")}.`);
    }
    for (const c of others) if (c.problem) staffNotes.push(c.problem);
    if (chosen?.note) staffNotes.push(chosen.note);
    if (chosen?.named.late) staffNotes.push("The LMS marked this submission late.");
    const named = (chosen ?? files[0]!).named;
    const about = {
      identity: { kind: named.kind, ...(named.name !== undefined && { name: named.name }) },
      ...(chosen?.submittedAt !== undefined && { submittedAt: chosen.submittedAt }),
    };
    if (chosen) {
      submissions.push({ file: chosen.file!, student, source: chosen.source, notes: [], staffNotes, ...about });
    } else {
      const problem =
        files.find((c) => c.problem)?.problem ?? `No notebook was found for ${student}: only ${files.map((c) => c.source).join(", ")} (a submission must be an .ipynb file).`;
      submissions.push({ file: files[0]!.file ?? files[0]!.source, student, source: files[0]!.source, notes: [], staffNotes, problem, ...about });
    }
  }
  return { submissions, messages, cleanup };
}
