// Every message has a reader. A score document's `messages` are the student's; its `staffNotes` are the staff's and
// must reach no output a student sees: the feedback reports, every LMS export (Gradescope output, PrairieLearn
// message, LTI comment, Moodle feedback), `courseware validate`. The staff see them on the end-of-batch screen, in
// summary.json and in `courseware feedback --staff`.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exportFormat } from "../src/export/command.js";
import { parseRoster } from "../src/export/roster.js";
import { htmlReport, markdownReport } from "../src/feedback/report.js";
import { batchReport } from "../src/grade/batch-report.js";
import { pickAssignment } from "../src/assignment/pick-assignment.js";
import { gradingContext } from "../src/grade/grade-batch.js";
import { gradeSubmission } from "../src/grade/grade-submission.js";
import { type ScoreDocument, batchStaffNotes, studentView, summarize } from "../src/grade/score-document.js";
import { doc } from "./grades-fixture.js";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");
const STUDENT = 'Code cell 7 ("softmax") raised TypeError: x.map is not a function';
const ROOT_NOTE = "Graded as root: the project's packages are not readable by other users, so the notebook could not run as an unprivileged user.";
const BWRAP_NOTE = "Graded without an OS sandbox layer (bubblewrap was not available): the notebook's network access was not blocked.";
const OWN_NOTE = "3 files were found for alice; graded the latest notebook, s.zip:alice-2.ipynb; not graded: s.zip:alice-1.ipynb, s.zip:alice.ipynb.";

const docs: ScoreDocument[] = [
  doc("alice", { messages: [STUDENT], staffNotes: [ROOT_NOTE, BWRAP_NOTE, OWN_NOTE] }),
  doc("bob", { messages: [], staffNotes: [ROOT_NOTE, BWRAP_NOTE] }),
  doc("carol", { status: "invalid", score: 0, questions: [], manual: [], messages: ["The submission is not JSON."], staffNotes: [ROOT_NOTE] }),
];
const staffTexts = [ROOT_NOTE, BWRAP_NOTE, OWN_NOTE];
// a note's telling parts, in case an output rewraps or escapes it
const fragments = ["Graded as root", "unprivileged user", "bubblewrap", "3 files were found", "not graded: s.zip"];

function assertNoStaffNote(text: string, where: string): void {
  for (const f of fragments) assert.not.ok(text.includes(f), `${where} carries the staff note fragment ${JSON.stringify(f)}`);
}

test("feedback reports for students carry the student's messages and none of the staff notes", () => {
  for (const d of docs) {
    for (const [kind, text] of [["Markdown", markdownReport(d)], ["HTML", htmlReport(d)]] as const) assertNoStaffNote(text, `${d.student}'s ${kind} report`);
  }
  assert.ok(markdownReport(docs[0]!).includes("raised TypeError: x.map is not a function"), "the student's own message is there");
});

test("the staff's reports (feedback --staff) show the staff notes", () => {
  const md = markdownReport(docs[0]!, { staff: true });
  assert.ok(md.includes("For the staff (not shown to the student)"));
  for (const f of ["Graded as root", "bubblewrap", "3 files were found"]) assert.ok(md.includes(f), f);
  assert.ok(htmlReport(docs[0]!, { staff: true }).includes("Graded as root"));
});

test("no LMS export file carries a staff note, with or without a roster", () => {
  const withFeedback = exportFormat("all", docs, { moodleFeedback: true });
  assert.ok(withFeedback.files.length > 0);
  for (const f of withFeedback.files) assertNoStaffNote(f.content, f.path);
  const roster = parseRoster("student,lms_id,name\nalice,u-1,Alice A\nbob,u-2,Bob B\ncarol,u-3,Carol C\n", "roster.csv");
  const mapped = exportFormat("all", docs, { moodleFeedback: true, roster });
  assert.ok(mapped.files.some((f) => f.path.includes("u-1")));
  for (const f of mapped.files) assertNoStaffNote(f.content, f.path);
  // the student's own message does reach the student-facing outputs that carry feedback
  const feedbackFiles = withFeedback.files.filter((f) => /(gradescope|prairielearn)\/alice\/results\.json$|lti\/alice\.json$/.test(f.path));
  assert.ok(feedbackFiles.length >= 2, feedbackFiles.map((f) => f.path).join(", "));
  for (const f of feedbackFiles) assert.ok(f.content.includes("x.map is not a function"), `${f.path} has the student's message`);
});

test("validate's document (what a student sees with --json) has no staff notes", () => {
  const view = studentView(docs[0]!);
  assert.is(view.staffNotes, undefined);
  assertNoStaffNote(JSON.stringify(view), "the student view");
  assert.equal(view.messages, [STUDENT]);
});

test("the end-of-batch screen and summary.json give the staff every note, shared ones once with a count", () => {
  const inputNote = "broken.zip is not a readable zip archive.";
  const summary = summarize("llm-architecture", docs.map((d) => ({ doc: d, file: `students/${d.student}.json` })), batchStaffNotes([inputNote], docs));
  assert.equal(summary.staffNotes, [inputNote, `All submissions: ${ROOT_NOTE}`, `2 of 3 submissions: ${BWRAP_NOTE}`]);
  assert.equal(summary.results[0]!.staffNotes, docs[0]!.staffNotes);
  const screen = batchReport(summary, "grades", 0);
  assert.ok(screen.includes("notes for the staff (not shown to students):"));
  for (const t of [inputNote, ROOT_NOTE, BWRAP_NOTE, `alice: ${OWN_NOTE}`]) assert.ok(screen.includes(t), t);
  // a shared note is said once, not once per student
  assert.is(screen.split(ROOT_NOTE).length - 1, 1);
  for (const t of staffTexts) assert.not.ok(JSON.stringify(summary.results.map(({ staffNotes: _n, ...r }) => r)).includes(t));
});

test("a real batch: a student's several files are a staff note, in summary.json and on the screen, never in their feedback", () => {
  const subs = mkdtempSync(join(tmpdir(), "audience-subs-"));
  // Canvas download names: doejane's resubmission (-1) is graded, the first one is not
  copyFileSync(join(ROOT, "examples/llm-architecture/untouched.ipynb"), join(subs, "doejane_1234_5678_llm-architecture.ipynb"));
  copyFileSync(join(ROOT, "examples/llm-architecture/complete.ipynb"), join(subs, "doejane_1234_5679_llm-architecture-1.ipynb"));
  const out = mkdtempSync(join(tmpdir(), "audience-grades-"));
  const graded = spawnSync(process.execPath, [CLI, "grade", subs, "--out", out, "--jobs", "1"], { cwd: ROOT, encoding: "utf8" });
  assert.is(graded.status, 0, graded.stderr);
  const d = JSON.parse(readFileSync(join(out, "students/1234.json"), "utf8")) as ScoreDocument;
  assert.ok(d.staffNotes?.some((n) => n.startsWith("2 files were found for 1234")), JSON.stringify(d.staffNotes));
  assert.not.ok(d.messages.some((n) => n.includes("files were found")));
  assert.equal(d.identity, { kind: "canvas-user-id", name: "doejane" });
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { results: Array<{ staffNotes?: string[] }> };
  assert.ok(summary.results[0]!.staffNotes?.some((n) => n.startsWith("2 files were found")));
  assert.match(graded.stdout, /notes for the staff[^]*1234: 2 files were found for 1234/);

  const fb = mkdtempSync(join(tmpdir(), "audience-feedback-"));
  const r = spawnSync(process.execPath, [CLI, "feedback", "--from", out, "--out", fb], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.equal(readdirSync(fb).sort(), ["1234.html", "1234.md"]);
  for (const f of readdirSync(fb)) assert.not.ok(readFileSync(join(fb, f), "utf8").includes("files were found"), f);
  const staff = spawnSync(process.execPath, [CLI, "feedback", "--from", out, "--out", fb, "--staff"], { cwd: ROOT, encoding: "utf8" });
  assert.is(staff.status, 0, staff.stderr);
  assert.ok(readFileSync(join(fb, "1234.staff.md"), "utf8").includes("2 files were found for 1234"));
});

test("a sandbox that fails to start for one submission: the student hears it is the grader's fault, the staff get the details", async () => {
  const assignment = await pickAssignment(join(ROOT, "solutions"), "llm-architecture");
  const ctx = await gradingContext(assignment, {}, ROOT);
  try {
    // the packages are not readable for this one sandbox: it dies before it is ready, as a grader-side failure would
    const broken = { ...ctx, readable: ctx.readable.filter((p) => !p.endsWith("node_modules")) };
    const d = await gradeSubmission({ file: join(ROOT, "examples/llm-architecture/complete.ipynb"), student: "dana" }, broken, `audience-${process.pid}`);
    assert.is(d.status, "error");
    assert.ok(d.messages.some((m) => m.includes("problem on the grader's side, not in your notebook")), JSON.stringify(d.messages));
    const student = JSON.stringify([d.messages, d.questions]);
    for (const leak of ["tslab", "node_modules", "Cannot find", ROOT]) assert.not.ok(student.includes(leak), `the student's part mentions ${leak}`);
    assert.ok(d.staffNotes!.some((n) => n.startsWith("The sandbox did not start") && n.includes("tslab")), JSON.stringify(d.staffNotes));
  } finally {
    await ctx.compiler.close();
  }
});

test.run();
