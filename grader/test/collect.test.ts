// Inputs as LMSs give them: student ids from Canvas, Moodle and Gradescope names, zip archives read without trust,
// several submissions of one student (the latest wins, and the result says so).
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { studentFromPath } from "../src/collect/lms-names.js";
import { collectSubmissions } from "../src/collect/collect-submissions.js";
import { gradeBatch } from "../src/grade/grade-batch.js";
import { ROOT } from "./helpers.js";

const complete = join(ROOT, "examples/llm-architecture/complete.ipynb");
const untouched = join(ROOT, "examples/llm-architecture/untouched.ipynb");

/** Writes a zip with Python's zipfile (Debian python3, there with Jupyter): entries [name, source file | text, mtime]. */
function makeZip(path: string, entries: Array<[string, { file?: string; text?: string; bytes?: number }, string]>): void {
  const script = `
import json, sys, zipfile, time
entries = json.loads(sys.argv[2])
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, content, stamp in entries:
        info = zipfile.ZipInfo(name, date_time=time.strptime(stamp, "%Y-%m-%d %H:%M")[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        data = open(content["file"], "rb").read() if "file" in content else (b" " * content["bytes"] if "bytes" in content else content["text"].encode())
        z.writestr(info, data)
`;
  const r = spawnSync("/usr/bin/python3", ["-c", script, path, JSON.stringify(entries)], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
}

test("student ids from LMS file names", () => {
  // the id, what kind of id it is (exports pick the LMS column by it) and the name the download carries
  assert.equal(studentFromPath("doejane_1234_567890_llm-architecture.ipynb"), { student: "1234", lms: "canvas", kind: "canvas-user-id", name: "doejane", attempt: 0, late: false });
  assert.equal(studentFromPath("doejane_late_1234_567891_llm-architecture-2.ipynb"), { student: "1234", lms: "canvas", kind: "canvas-user-id", name: "doejane", attempt: 2, late: true });
  assert.equal(studentFromPath("Jane Doe_98765_assignsubmission_file_/llm-architecture.ipynb"), { student: "98765", lms: "moodle", kind: "moodle-participant-id", name: "Jane Doe", attempt: 0, late: false });
  assert.equal(studentFromPath("submission_31415/llm-architecture.ipynb"), { student: "submission_31415", lms: "gradescope", kind: "gradescope-submission", attempt: 0, late: false });
  assert.equal(studentFromPath("alice.ipynb"), { student: "alice", kind: "file-name", attempt: 0, late: false });
});

test("a Canvas archive: the latest of a student's files wins, unsafe, oversized and non-notebook entries are refused with a reason", async () => {
  const dir = await mkdtemp(join(tmpdir(), "collect-"));
  const zip = join(dir, "submissions.zip");
  makeZip(zip, [
    ["doejane_1234_5678_llm-architecture.ipynb", { file: complete }, "2026-11-01 10:00"],
    ["doejane_1234_5679_llm-architecture-1.ipynb", { file: untouched }, "2026-11-02 10:00"],
    ["smithjo_late_2222_3333_llm-architecture.ipynb", { file: complete }, "2026-11-03 10:00"],
    ["roejack_4444_5555_notes.txt", { text: "I could not finish" }, "2026-11-01 10:00"],
    ["../evil.ipynb", { file: complete }, "2026-11-01 10:00"],
    ["huge_6666_7777_llm-architecture.ipynb", { bytes: 21 * 1024 * 1024 }, "2026-11-01 10:00"],
    ["__MACOSX/._doejane_1234_5678_llm-architecture.ipynb", { text: "resource fork" }, "2026-11-01 10:00"],
  ]);
  const { submissions, messages, cleanup } = await collectSubmissions([zip]);
  try {
    assert.equal(messages, []);
    const by = new Map(submissions.map((s) => [s.student, s]));
    assert.equal([...by.keys()], ["1234", "2222", "4444", "6666", "evil"]);
    const jane = by.get("1234")!;
    assert.is(jane.source, "submissions.zip:doejane_1234_5679_llm-architecture-1.ipynb");
    assert.is(await readFile(jane.file, "utf8"), await readFile(untouched, "utf8"));
    // which file was graded, and lateness, are for the staff: the student is told nothing of them
    assert.match(jane.staffNotes!.join(" "), /2 files were found for 1234; graded the latest notebook, submissions\.zip:doejane_1234_5679_llm-architecture-1\.ipynb; not graded: submissions\.zip:doejane_1234_5678/);
    assert.equal(jane.notes, []);
    assert.equal(jane.identity, { kind: "canvas-user-id", name: "doejane" });
    assert.match(by.get("2222")!.staffNotes!.join(" "), /marked this submission late/);
    assert.equal(by.get("2222")!.notes, []);
    assert.match(by.get("4444")!.problem!, /No notebook was found for 4444: only submissions\.zip:roejack_4444_5555_notes\.txt/);
    assert.match(by.get("evil")!.problem!, /"\.\.\/evil\.ipynb" is a path that climbs out of the archive/);
    assert.match(by.get("6666")!.problem!, /22\.0 MB, over the 20\.9\d* MB limit|over the .* MB limit/);
    for (const s of submissions.filter((x) => !x.problem)) assert.match(s.file, new RegExp(`^${tmpdir()}/courseware-inputs-[^/]+/[^.][^/]*/\\d+/[^/]+\\.ipynb$`));
    assert.ok(by.get("evil")!.problem, "the unsafe entry is not extracted");
  } finally {
    await cleanup();
  }
});

test("a Moodle archive and a broken archive in a folder: every submission gets a result, the batch goes on", async () => {
  const dir = await mkdtemp(join(tmpdir(), "collect-moodle-"));
  makeZip(join(dir, "moodle.zip"), [
    ["Jane Roe_777_assignsubmission_file_/llm-architecture.ipynb", { file: untouched }, "2026-11-01 10:00"],
    ["Jo Bloggs_778_assignsubmission_file_/../../escape.ipynb", { file: untouched }, "2026-11-01 10:00"],
  ]);
  const { writeFile } = await import("node:fs/promises");
  await writeFile(join(dir, "broken.zip"), "this is not a zip archive");
  const out = await mkdtemp(join(tmpdir(), "collect-grades-"));
  const batch = await gradeBatch({ inputs: [dir], outDir: out, projectRoot: ROOT, solutionsDir: join(ROOT, "solutions"), jobs: 2 });
  assert.match(batch.messages.join("\n"), /broken\.zip is not a readable zip archive/);
  const docs = new Map(batch.documents.map((d) => [d.student, d]));
  assert.is(docs.get("777")!.status, "graded");
  assert.is(docs.get("777")!.submission.file, "moodle.zip:Jane Roe_777_assignsubmission_file_/llm-architecture.ipynb");
  const escaped = batch.documents.find((d) => d.messages.join(" ").includes("climbs out of the archive"))!;
  assert.is(escaped.status, "invalid");
  assert.is(escaped.score, 0);
});

test("a Gradescope export: students named by submission_metadata.yml, a group submission for each member, bad entries named", async () => {
  const dir = await mkdtemp(join(tmpdir(), "collect-gradescope-"));
  const metadata = [
    "submission_101:",
    "  :submitters:",
    "  - :name: Jane Doe",
    "    :sid: '00123'",
    "    :email: jane@example.edu",
    "  :created_at: 2026-11-01 10:00:00.000000000 -08:00",
    "  :score: 0.0",
    "submission_102:",
    "  :submitters:",
    "  - :name: Jo Bloggs",
    "    :sid: ''",
    "    :email: jo@example.edu",
    "  - :name: Ann Other",
    "    :sid: '456'",
    "    :email: ann@example.edu",
    "submission_103:",
    "  :submitters:",
    "  - :name: Mallory",
    "    :sid: ../../etc/passwd",
    "    :email: ''",
  ].join("\n");
  makeZip(join(dir, "gradescope.zip"), [
    ["assignment_9_export/submission_metadata.yml", { text: metadata }, "2026-11-01 10:00"],
    ["assignment_9_export/submission_101/llm-architecture.ipynb", { file: complete }, "2026-11-01 10:00"],
    ["assignment_9_export/submission_102/llm-architecture.ipynb", { file: untouched }, "2026-11-01 10:00"],
    ["assignment_9_export/submission_103/llm-architecture.ipynb", { file: untouched }, "2026-11-01 10:00"],
    ["assignment_9_export/submission_104/llm-architecture.ipynb", { file: untouched }, "2026-11-01 10:00"],
  ]);
  const { submissions, messages, cleanup } = await collectSubmissions([dir]);
  try {
    const by = new Map(submissions.map((s) => [s.student, s]));
    // the sid, kept as text (leading zeros); the email where there is no sid; unknown or unusable: the folder name
    assert.equal([...by.keys()], ["00123", "456", "jo@example.edu", "submission_103", "submission_104"]);
    assert.is(await readFile(by.get("00123")!.file, "utf8"), await readFile(complete, "utf8"));
    assert.equal(by.get("00123")!.staffNotes, ["Gradescope submission submission_101."]);
    assert.equal(by.get("00123")!.notes, []);
    assert.match(by.get("456")!.staffNotes!.join(" "), /group submission submission_102 of jo@example\.edu, 456/);
    // the id's kind and the submitter's name from the metadata; created_at (Ruby's format, -08:00) in UTC
    assert.equal(by.get("456")!.identity, { kind: "gradescope-sid", name: "Ann Other" });
    assert.equal(by.get("jo@example.edu")!.identity, { kind: "gradescope-email", name: "Jo Bloggs" });
    assert.equal(by.get("submission_104")!.identity, { kind: "gradescope-submission" });
    assert.is(by.get("00123")!.submittedAt, "2026-11-01T18:00:00.000Z");
    assert.is(by.get("456")!.submittedAt, undefined);
    assert.is(by.get("456")!.file, by.get("jo@example.edu")!.file);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /gradescope\.zip:assignment_9_export\/submission_metadata\.yml: a submitter of submission_103 has an id that cannot name a file/);
  } finally {
    await cleanup();
  }
  // a metadata file that is not YAML: a message, and the folders name the students
  const { writeFile, mkdir } = await import("node:fs/promises");
  const plain = await mkdtemp(join(tmpdir(), "collect-gradescope-bad-"));
  await mkdir(join(plain, "submission_7"));
  await writeFile(join(plain, "submission_7", "nb.ipynb"), await readFile(untouched));
  await writeFile(join(plain, "submission_metadata.yml"), "submission_7: [unclosed");
  const bad = await collectSubmissions([plain]);
  assert.equal(bad.submissions.map((s) => s.student), ["submission_7"]);
  assert.match(bad.messages.join(" "), /submission_metadata\.yml could not be read .*named by folder/);
});

test.run();
