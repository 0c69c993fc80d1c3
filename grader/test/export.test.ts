import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { canvasCsv } from "../src/export/canvas.js";
import { exportFormat } from "../src/export/command.js";
import { gradescopeResults, gradescopeSingle } from "../src/export/gradescope.js";
import { gradescopeBundle, shellQuote } from "../src/export/gradescope-bundle.js";
import { ltiScores } from "../src/export/lti.js";
import { moodleCsv } from "../src/export/moodle.js";
import { prairieLearnResults } from "../src/export/prairielearn.js";
import { parseRoster } from "../src/export/roster.js";
import { readGrades } from "../src/grade/read-grades.js";
const readScoreDocuments = async (dir: string) => (await readGrades(dir)).map((g) => g.doc);
import { writeExportFiles } from "../src/export/write.js";
import type { ExportResult } from "../src/export/common.js";
import { assertScoreDocument } from "../src/grade/schema.js";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { ROOT } from "./helpers.js";

// ---------- fixtures: four submissions, built here (not taken from any exporter's output) ----------

const T = (name: string, points: number, maxPoints: number, hidden: boolean, message = "") => ({ name, passed: points === maxPoints, points, maxPoints, hidden, message });

function doc(student: string, over: Partial<ScoreDocument>): ScoreDocument {
  const d: ScoreDocument = {
    schemaVersion: 1,
    assignment: "week-1",
    student,
    status: "graded",
    score: 0,
    maxScore: 6,
    questions: [],
    manual: [],
    messages: [],
    submission: { file: `${student}.ipynb`, sha256: "b".repeat(64) },
    grader: { version: "0.1.0", sandbox: [] },
    timing: { gradedAt: "2025-03-01T10:00:00.000Z", durationMs: 5 },
    ...over,
  };
  assertScoreDocument(d);
  return d;
}

/** Graded, with one manual answer still to grade (null) and one graded (1.5 of 2): 2 + 1.5 = 3.5 of 6. */
const PENDING = doc(`O'Brien, "Pat"`, {
  score: 2,
  questions: [{ id: "q1", score: 2, maxScore: 3, tests: [T("shape is right", 1, 1, false), T("rows sum to 1", 1, 1, true), T("argmax kept", 0, 1, true, "argmax moved at row 2")] }],
  manual: [
    { id: "essay", maxScore: 1, answer: "A network.", score: null },
    { id: "proof", maxScore: 2, answer: "QED", score: 1.5 },
  ],
});
/** Fully graded: 3 + 1 + 2 = 6 of 6. */
const FULL = doc("bob", {
  score: 3,
  questions: [{ id: "q1", score: 3, maxScore: 3, tests: [T("shape is right", 1, 1, false), T("rows sum to 1", 1, 1, true), T("argmax kept", 1, 1, true)] }],
  manual: [
    { id: "essay", maxScore: 1, answer: "A function.", score: 1 },
    { id: "proof", maxScore: 2, answer: "QED", score: 2 },
  ],
});
/** Not a notebook. */
const INVALID = doc("carol", {
  status: "invalid",
  questions: [{ id: "q1", score: 0, maxScore: 3, tests: [] }],
  messages: ["The submission carol.ipynb is not a Jupyter notebook."],
});
/** Ran out of time: 1 of 3 on the tests, manual answers graded 0: 1 of 6. No timing. */
const TIMEOUT = doc("dave", {
  status: "timeout",
  score: 1,
  questions: [{ id: "q1", score: 1, maxScore: 3, tests: [T("shape is right", 1, 1, false), T("rows sum to 1", 0, 1, true, "no value"), T("argmax kept", 0, 1, true, "no value")] }],
  manual: [
    { id: "essay", maxScore: 1, answer: "", score: 0 },
    { id: "proof", maxScore: 2, answer: "", score: 0 },
  ],
  messages: ["Grading stopped: the notebook ran for more than 60 s."],
});
// Deliberately out of order: exports sort by student.
const DOCS = [TIMEOUT, FULL, INVALID, PENDING];
delete (TIMEOUT as { timing?: unknown }).timing;
// Sorted by UTF-16 code units: "O" (79) before "b" (98).
const ORDER = [`O'Brien, "Pat"`, "bob", "carol", "dave"];
const EXPECTED_POINTS: Record<string, number> = { [`O'Brien, "Pat"`]: 3.5, bob: 6, carol: 0, dave: 1 };

function file(r: ExportResult, path: string): string {
  const f = r.files.find((x) => x.path === path);
  assert.ok(f, `missing ${path} among ${r.files.map((x) => x.path).join(", ")}`);
  return f!.content;
}

// ---------- a small RFC 4180 reader, written for the test ----------

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"') {
      assert.is(field, "", "a quote may only open a field");
      (quoted = true), i++;
    } else if (c === ",") (row.push(field), (field = "")), i++;
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), (i += 2);
    } else {
      assert.not.ok(c === "\r" || c === "\n", `bare line break at ${i}`);
      (field += c), i++;
    }
  }
  assert.not.ok(quoted, "unterminated quoted field");
  assert.is(field, "", "the last record must end with CRLF");
  assert.equal(row, []);
  return rows;
}

// ---------- Canvas ----------

test("Canvas: header, Points Possible row, one row per student in order, scores with graded manual answers only", () => {
  const rows = parseCsv(file(canvasCsv(DOCS), "canvas.csv"));
  assert.equal(rows[0], ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "week-1"]);
  assert.equal(rows[1], ["    Points Possible", "", "", "", "", "6"]);
  assert.equal(rows.slice(2).map((r) => r[0]), ORDER);
  for (const r of rows.slice(2)) {
    assert.is(r.length, 6);
    assert.is(r[2], r[0], "the student id goes in SIS User ID by default");
    assert.is(Number(r[5]), EXPECTED_POINTS[r[0]!]);
  }
});

test("Canvas: a name with a comma and quotes is quoted as RFC 4180 says; options pick the column and the id column", () => {
  const csv = file(canvasCsv(DOCS, { column: "Week 1, notebook (812)", idColumn: "SIS Login ID", section: "A" }), "canvas.csv");
  assert.ok(csv.split("\r\n")[0]!.endsWith(`,"Week 1, notebook (812)"`));
  assert.ok(csv.includes(`\r\n"O'Brien, ""Pat""",,,"O'Brien, ""Pat""",A,3.5\r\n`));
  const rows = parseCsv(csv);
  assert.is(rows[2]![3], `O'Brien, "Pat"`);
  assert.is(rows[2]![2], "");
});

test("Canvas and Moodle refuse documents of several assignments", () => {
  const other = { ...FULL, student: "erin", assignment: "week-2" };
  assert.throws(() => canvasCsv([FULL, other]), /several assignments/);
  assert.throws(() => moodleCsv([FULL, other]), /several assignments/);
});

// ---------- Moodle ----------

test("Moodle: identifier and grade columns, optional feedback column that survives a round trip", () => {
  const plain = parseCsv(file(moodleCsv(DOCS), "moodle.csv"));
  assert.equal(plain[0], ["ID number", "week-1"]);
  assert.equal(plain.slice(1).map((r) => [r[0], Number(r[1])]), ORDER.map((s) => [s, EXPECTED_POINTS[s]]));

  const rows = parseCsv(file(moodleCsv(DOCS, { idColumn: "Email address", gradeColumn: "Notebook 1", feedback: true }), "moodle.csv"));
  assert.equal(rows[0], ["Email address", "Notebook 1", "Feedback: Notebook 1"]);
  const byStudent = new Map(rows.slice(1).map((r) => [r[0]!, r]));
  assert.match(byStudent.get(`O'Brien, "Pat"`)![2]!, /"essay" \(1 point\) is graded by hand and is not counted yet/);
  assert.is(byStudent.get("bob")![2], "");
  assert.match(byStudent.get("carol")![2]!, /^The submission could not be graded[^\n]*\nThe submission carol\.ipynb is not a Jupyter notebook\.$/);
  assert.match(byStudent.get("dave")![2]!, /ran out of time\S*[\s\S]*\nGrading stopped: the notebook ran for more than 60 s\.$/);
});

// ---------- Gradescope ----------

const GS_TEST_KEYS = ["max_score", "name", "output", "score", "status", "visibility"];

test("Gradescope: one results.json per student; score = tests + graded manual; hidden tests after_published, names only", () => {
  const r = gradescopeResults(DOCS);
  assert.equal(r.files.map((f) => f.path), ORDER.map((s) => `gradescope/${s}/results.json`));
  const pending = JSON.parse(file(r, `gradescope/O'Brien, "Pat"/results.json`));
  assert.is(pending.score, 3.5);
  assert.match(pending.output, /"essay" .* not counted yet/);
  assert.equal(pending.tests.map((t: { name: string }) => t.name), ["q1: shape is right", "q1: rows sum to 1", "q1: argmax kept", "proof (graded by hand)"]);
  assert.equal(pending.tests.map((t: { visibility: string }) => t.visibility), ["visible", "after_published", "after_published", "visible"]);
  assert.equal(pending.tests.map((t: { status: string }) => t.status), ["passed", "passed", "failed", "failed"]);
  for (const t of pending.tests) assert.equal(Object.keys(t).sort(), GS_TEST_KEYS);
  assert.is(pending.tests[2].output, "argmax moved at row 2");

  const full = JSON.parse(file(r, "gradescope/bob/results.json"));
  const sum = full.tests.reduce((a: number, t: { score: number }) => a + t.score, 0);
  assert.is(full.score, 6);
  assert.is(sum, 6, "with every manual answer graded, the tests add up to the score");

  const invalid = JSON.parse(file(r, "gradescope/carol/results.json"));
  assert.equal(invalid.tests, []);
  assert.is(invalid.score, 0);
  assert.match(invalid.output, /not a Jupyter notebook/);
});

test("Gradescope: --hidden-visibility hidden; --single needs exactly one document", () => {
  const r = gradescopeResults([FULL], { hiddenVisibility: "hidden" });
  const tests = JSON.parse(file(r, "gradescope/bob/results.json")).tests;
  assert.equal(tests.map((t: { visibility: string }) => t.visibility), ["visible", "hidden", "hidden", "visible", "visible"]);
  assert.equal(JSON.parse(file(gradescopeSingle([TIMEOUT]), "results.json")).score, 1);
  assert.throws(() => gradescopeSingle([FULL, TIMEOUT]), /exactly one/);
  assert.throws(() => gradescopeSingle([]), /exactly one/);
  assert.throws(() => gradescopeResults([{ ...FULL, student: "../evil" }]), /cannot be used as a file name/);
});

test("Gradescope bundle: setup.sh and run_autograder are executable, parse with bash -n, quote the assignment name", async () => {
  const assignment = "week 1's notebook";
  const dir = mkdtempSync(join(tmpdir(), "gs-bundle-"));
  const written = await writeExportFiles(dir, gradescopeBundle({ assignment }));
  for (const name of ["setup.sh", "run_autograder"]) {
    const path = join(dir, "gradescope-autograder", name);
    assert.ok(written.includes(path));
    assert.ok((statSync(path).mode & 0o111) === 0o111, `${name} is executable`);
    const check = spawnSync("bash", ["-n", path], { encoding: "utf8" });
    assert.is(check.status, 0, check.stderr);
    assert.ok(readFileSync(path, "utf8").startsWith("#!/usr/bin/env bash\n"));
  }
  const setup = readFileSync(join(dir, "gradescope-autograder", "setup.sh"), "utf8");
  assert.match(setup, /setup_20\.x/);
  assert.match(setup, /\/autograder\/source/);
  const run = readFileSync(join(dir, "gradescope-autograder", "run_autograder"), "utf8");
  assert.match(run, /AUTOGRADER_ROOT:-\/autograder\}/);
  // The assignment name reaches courseware intact through bash quoting.
  const echoed = spawnSync("bash", ["-c", `printf %s ${shellQuote(assignment)}`], { encoding: "utf8" });
  assert.is(echoed.stdout, assignment);
  assert.ok(run.includes(shellQuote(assignment)));
});

test("Gradescope bundle: run_autograder grades the submission into results.json, or explains when there is no notebook", async () => {
  // Gradescope's layout under another root: the project as setup.sh leaves it (built), the student's files
  const root = mkdtempSync(join(tmpdir(), "gs-root-"));
  symlinkSync(ROOT, join(root, "courseware"));
  mkdirSync(join(root, "submission"));
  copyFileSync(join(ROOT, "examples/submissions/complete.ipynb"), join(root, "submission", "my notebook.ipynb"));
  await writeExportFiles(join(root, "source"), gradescopeBundle({ assignment: "llm-architecture" }));
  const runIt = () =>
    spawnSync("bash", [join(root, "source/gradescope-autograder/run_autograder")], { env: { ...process.env, AUTOGRADER_ROOT: root }, encoding: "utf8", timeout: 300_000 });
  const graded = runIt();
  assert.is(graded.status, 0, graded.stderr);
  const results = JSON.parse(readFileSync(join(root, "results/results.json"), "utf8"));
  // the complete example: every auto-graded check passes (6 points); the free-text answer waits for a person
  assert.is(results.score, 6);
  assert.ok(results.tests.length >= 4);
  assert.ok(results.tests.some((t: { visibility: string }) => t.visibility === "after_published"), "hidden tests are not shown before grades are published");
  assert.match(results.output, /graded by hand/);

  rmSync(join(root, "submission", "my notebook.ipynb"));
  writeFileSync(join(root, "submission", "answers.txt"), "I wrote my answers here");
  const empty = runIt();
  assert.is(empty.status, 0, empty.stderr);
  const explained = JSON.parse(readFileSync(join(root, "results/results.json"), "utf8"));
  assert.is(explained.score, 0);
  assert.match(explained.output, /no single notebook/);
});

// ---------- PrairieLearn ----------

test("PrairieLearn: score is a fraction in [0, 1]; an invalid notebook is gradable: false with format_errors", () => {
  const r = prairieLearnResults(DOCS);
  const pending = JSON.parse(file(r, `prairielearn/O'Brien, "Pat"/results.json`));
  assert.is(pending.gradable, true);
  assert.ok(Math.abs(pending.score - 3.5 / 6) < 1e-6);
  assert.equal(pending.tests.map((t: { name: string; points: number; max_points: number }) => [t.name, t.points, t.max_points]), [
    ["q1: shape is right", 1, 1],
    ["q1: rows sum to 1", 1, 1],
    ["q1: argmax kept", 0, 1],
    ["proof (graded by hand)", 1.5, 2],
  ]);
  assert.is(JSON.parse(file(r, "prairielearn/bob/results.json")).score, 1);
  const timeout = JSON.parse(file(r, "prairielearn/dave/results.json"));
  assert.ok(Math.abs(timeout.score - 1 / 6) < 1e-6);
  assert.match(timeout.message, /ran out of time/);
  const invalid = JSON.parse(file(r, "prairielearn/carol/results.json"));
  assert.is(invalid.gradable, false);
  assert.is(invalid.score, undefined);
  assert.equal(invalid.format_errors, ["The submission carol.ipynb is not a Jupyter notebook."]);
});

// ---------- LTI AGS ----------

const ACTIVITY = ["Initialized", "Started", "InProgress", "Submitted", "Completed"];
const GRADING = ["FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"];
const ALLOWED = ["userId", "scoreGiven", "scoreMaximum", "comment", "timestamp", "activityProgress", "gradingProgress", "submission"];

/** The score publish service's rules (IMS AGS 2.0 §3.4), checked independently of the exporter. */
function checkAgsScore(s: Record<string, unknown>): void {
  for (const k of ["userId", "timestamp", "activityProgress", "gradingProgress"]) assert.ok(k in s, `${k} is required`);
  for (const k of Object.keys(s)) assert.ok(ALLOWED.includes(k), `unexpected ${k}`);
  assert.type(s["userId"], "string");
  assert.ok(ACTIVITY.includes(s["activityProgress"] as string));
  assert.ok(GRADING.includes(s["gradingProgress"] as string));
  assert.match(s["timestamp"] as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+(Z|[+-]\d{2}:\d{2})$/);
  if ("scoreGiven" in s) {
    assert.type(s["scoreGiven"], "number");
    assert.ok((s["scoreGiven"] as number) >= 0);
    assert.type(s["scoreMaximum"], "number");
    assert.ok((s["scoreMaximum"] as number) > 0);
  }
  if ("comment" in s) assert.type(s["comment"], "string");
}

test("LTI: payloads follow the AGS score shape; grading progress per status; timestamps from gradedAt or --timestamp", () => {
  assert.throws(() => ltiScores(DOCS), /dave.*no timing\.gradedAt.*--timestamp/);
  const r = ltiScores(DOCS, { timestamp: "2025-03-02T08:30:00.000+01:00" });
  assert.equal(r.files.map((f) => f.path), ORDER.map((s) => `lti/${s}.json`));
  const get = (s: string) => JSON.parse(file(r, `lti/${s}.json`));
  for (const s of ORDER) checkAgsScore(get(s));

  const pending = get(`O'Brien, "Pat"`);
  assert.equal([pending.userId, pending.scoreGiven, pending.scoreMaximum, pending.gradingProgress, pending.activityProgress], [`O'Brien, "Pat"`, 3.5, 6, "PendingManual", "Completed"]);
  assert.is(pending.timestamp, "2025-03-01T10:00:00.000Z");
  const full = get("bob");
  assert.equal([full.scoreGiven, full.gradingProgress, full.comment], [6, "FullyGraded", undefined]);
  const invalid = get("carol");
  assert.is(invalid.gradingProgress, "Failed");
  assert.not.ok("scoreGiven" in invalid, "an ungradable notebook sends no score");
  assert.match(invalid.comment, /not a Jupyter notebook/);
  const timeout = get("dave");
  assert.equal([timeout.scoreGiven, timeout.gradingProgress, timeout.timestamp], [1, "FullyGraded", "2025-03-02T08:30:00.000+01:00"]);
  assert.match(timeout.comment, /ran out of time/);

  assert.is(JSON.parse(file(ltiScores([FULL], { activityProgress: "Submitted" }), "lti/bob.json")).activityProgress, "Submitted");
});

// ---------- a roster: grader ids to LMS ids ----------

test("roster: exports use each student's LMS id (and name), leave out unlisted students, and say who is missing", () => {
  const roster = parseRoster(
    ["student,lms_id,name", `bob,lti-sub-b0b,Bob Example`, `"O'Brien, ""Pat""",lti-sub-pat,`, "dave,lti-sub-dave,Dave Example", "erin,lti-sub-erin,Erin Example"].join("\r\n"),
    "roster.csv",
  );
  const r = exportFormat("all", DOCS, { roster, timestamp: "2025-03-02T08:30:00.000Z" });
  // LTI: the payload for bob is addressed to his LTI user id; carol is not in the roster, so nothing is sent for her
  const lti = r.files.filter((f) => f.path.startsWith("lti/")).map((f) => f.path);
  assert.equal(lti, ["lti/lti-sub-b0b.json", "lti/lti-sub-dave.json", "lti/lti-sub-pat.json"]);
  assert.is(JSON.parse(file(r, "lti/lti-sub-b0b.json")).userId, "lti-sub-b0b");
  assert.is(JSON.parse(file(r, "lti/lti-sub-b0b.json")).scoreGiven, 6);
  // Canvas: the name in Student where the roster has one, the LMS id in the id column
  const canvas = parseCsv(file(r, "canvas.csv"));
  const bob = canvas.find((row) => row[2] === "lti-sub-b0b")!;
  assert.equal([bob[0], bob[5]], ["Bob Example", "6"]);
  assert.is(canvas.find((row) => row[2] === "lti-sub-pat")![0], "lti-sub-pat");
  assert.not.ok(canvas.some((row) => row.includes("carol")));
  assert.ok(r.notes.some((n) => /1 score documents are for students the roster does not list and were not exported: carol/.test(n)), r.notes.join("\n"));
  assert.ok(r.notes.some((n) => /1 students in the roster have no score document: erin/.test(n)));

  assert.throws(() => parseRoster("id,lms\r\nbob,x", "r.csv"), /r\.csv needs the columns "student" and "lms_id"/);
  assert.throws(() => parseRoster("student,lms_id\r\nbob,x\r\nbob,y", "r.csv"), /line 3: the student "bob" is listed twice/);
  assert.throws(() => parseRoster("student,lms_id\r\nbob,x\r\ncarol,x", "r.csv"), /the LMS id "x" is given to both "bob" and "carol"/);
  assert.throws(() => parseRoster("student,lms_id\r\nbob,", "r.csv"), /line 2: "student" and "lms_id" must both be filled in/);
});

// ---------- all formats ----------

test("exports are deterministic: the same documents (in any order) give byte-identical files", () => {
  const opts = { timestamp: "2025-03-02T08:30:00.000Z", moodleFeedback: true };
  const a = exportFormat("all", DOCS, opts);
  const b = exportFormat("all", [...DOCS].reverse(), opts);
  const c = exportFormat("all", structuredClone(DOCS), opts);
  assert.equal(b.files, a.files);
  assert.equal(c.files, a.files);
  assert.equal(a.files.map((f) => f.path).filter((p) => !p.includes("/")).sort(), ["canvas.csv", "moodle.csv"]);
  assert.equal(new Set(a.files.map((f) => f.path.split("/")[0])), new Set(["canvas.csv", "moodle.csv", "gradescope", "gradescope-autograder", "prairielearn", "lti"]));
  assert.ok(a.notes.some((n) => /1 of 4 submissions have manual answers not graded yet/.test(n)));
});

test("exportFormat rejects unknown formats and option values as usage errors", () => {
  assert.throws(() => exportFormat("blackboard", DOCS), (e: Error) => e.name === "UsageError" && /blackboard/.test(e.message));
  assert.throws(() => exportFormat("gradescope", DOCS, { hiddenVisibility: "visible" }), /--hidden-visibility/);
  assert.throws(() => exportFormat("lti", DOCS, { timestamp: "2025-03-02 08:30" }), /--timestamp/);
  assert.throws(() => exportFormat("canvas", DOCS, { canvasIdColumn: "Email" }), /--canvas-id-column/);
  assert.throws(() => exportFormat("canvas", DOCS, { single: true }), /--single/);
});

// ---------- reading score documents ----------

function gradesDir(docs: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), "grades-"));
  mkdirSync(join(dir, "students"));
  docs.forEach((d, i) => writeFileSync(join(dir, "students", `${(d as { student?: string }).student ?? `bad${i}`}.json`), JSON.stringify(d)));
  return dir;
}

test("reading score documents validates every file and names the bad one", async () => {
  const ok = await readScoreDocuments(gradesDir([FULL, INVALID]));
  assert.equal(ok.map((d) => d.student), ["bob", "carol"]);
  const broken = { ...FULL, student: "zed", status: "passed" };
  await readScoreDocuments(gradesDir([FULL, broken])).then(
    () => assert.unreachable("should fail"),
    (e: Error) => assert.match(e.message, /zed\.json: Invalid score document: \/status/),
  );
  const dir = gradesDir([]);
  writeFileSync(join(dir, "students", "x.json"), "{ not json");
  await readScoreDocuments(dir).then(() => assert.unreachable("should fail"), (e: Error) => assert.match(e.message, /x\.json is not valid JSON/));
  assert.equal(await readScoreDocuments(gradesDir([])), []);
});

// ---------- the CLI ----------

const CLI = join(ROOT, "grader", "bin", "courseware.js");
const courseware = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: ROOT });

test("CLI: courseware export writes the files; usage errors exit 2 with a clear message", () => {
  const from = gradesDir([FULL, PENDING]);
  const out = mkdtempSync(join(tmpdir(), "export-out-"));
  const ok = courseware("export", "canvas", "--from", from, "--out", out, "--canvas-column", "Week 1 (7)");
  assert.is(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /note: 1 of 2 submissions have manual answers not graded yet/);
  assert.equal(parseCsv(readFileSync(join(out, "canvas.csv"), "utf8"))[0]!.at(-1), "Week 1 (7)");

  const unknown = courseware("export", "sakai", "--from", from, "--out", out);
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown export format "sakai"/);
  const missing = courseware("export", "lti", "--from", join(from, "nope"), "--out", out);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /--from .*nope: no such folder/);
  const noOut = courseware("export", "lti", "--from", from);
  assert.is(noOut.status, 2);
  assert.match(noOut.stderr, /--out/);
  const badOption = courseware("export", "gradescope", "--from", from, "--out", out, "--hidden-visibility", "visible");
  assert.is(badOption.status, 2);
  const single = courseware("export", "gradescope", "--from", from, "--out", out, "--single");
  assert.is(single.status, 1);
  assert.match(single.stderr, /--single needs exactly one score document; found 2/);
});

test.run();
