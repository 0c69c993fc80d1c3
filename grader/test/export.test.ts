import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { canvasCsv } from "../src/export/canvas.js";
import { exportFormat } from "../src/export/command.js";
import { escapeMarkdown, gradescopeResult, gradescopeResults, gradescopeSingle } from "../src/export/gradescope.js";
import { NODE_ENGINES, gradescopeBundle, shellQuote } from "../src/export/gradescope-bundle.js";
import { ltiScores } from "../src/export/lti.js";
import { moodleCsv } from "../src/export/moodle.js";
import { prairieLearnResult, prairieLearnResults } from "../src/export/prairielearn.js";
import { planMerge } from "../src/manual/sheet.js";
import { parseRoster } from "../src/export/roster.js";
import { readGrades } from "../src/grade/read-grades.js";
const readScoreDocuments = async (dir: string) => (await readGrades(dir)).map((g) => g.doc);
import { writeExportFiles } from "../src/export/write.js";
import type { ExportResult } from "../src/export/common.js";
import { assertScoreDocument } from "../src/grade/schema.js";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { laterTimestamp, modifiedAt } from "../src/grade/score-document.js";
import { ROOT } from "./helpers.js";

// ---------- fixtures: four submissions, built here (not taken from any exporter's output) ----------

const T = (name: string, points: number, maxPoints: number, hidden: boolean, message = "") => ({ name, passed: points === maxPoints, points, maxPoints, hidden, message });

/** In every fixture's staffNotes: no export may contain it (score-document.ts: staff notes are never a student's to see). */
const STAFF_SECRET = "STAFF-ONLY-2c9f: graded the latest of 3 files; sandbox without bubblewrap";

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
    staffNotes: [STAFF_SECRET],
    submission: { file: `${student}.ipynb`, sha256: "b".repeat(64) },
    grader: { version: "0.1.0", sandbox: [] },
    timing: { gradedAt: "2025-03-01T10:00:00.000Z", durationMs: 5 },
    ...over,
  };
  assertScoreDocument(d);
  return d;
}

/** Graded, with one manual answer still to grade (null) and one graded (1.5 of 2): 2 + 1.5 = 3.5 of 6. A roster id. */
const PENDING = doc(`O'Brien, "Pat"`, {
  score: 2,
  identity: { kind: "lms-id", name: "Pat O'Brien" },
  questions: [{ id: "q1", score: 2, maxScore: 3, tests: [T("shape is right", 1, 1, false), T("rows sum to 1", 1, 1, true), T("argmax kept", 0, 1, true, "argmax moved at row 2")] }],
  manual: [
    { id: "essay", maxScore: 1, answer: "A network.", score: null },
    { id: "proof", maxScore: 2, answer: "QED", score: 1.5 },
  ],
  timing: { gradedAt: "2025-03-01T10:00:00.000Z", durationMs: 5, modifiedAt: "2025-03-02T09:15:30.250Z" },
});
/** Fully graded: 3 + 1 + 2 = 6 of 6. From a Canvas download name (user id 1234, "bobsmith"). */
const FULL = doc("1234", {
  score: 3,
  identity: { kind: "canvas-user-id", name: "bobsmith" },
  questions: [{ id: "q1", score: 3, maxScore: 3, tests: [T("shape is right", 1, 1, false), T("rows sum to 1", 1, 1, true), T("argmax kept", 1, 1, true)] }],
  manual: [
    { id: "essay", maxScore: 1, answer: "A function.", score: 1 },
    { id: "proof", maxScore: 2, answer: "QED", score: 2 },
  ],
  submission: { file: "1234.ipynb", sha256: "b".repeat(64), submittedAt: "2025-02-28T23:59:01.5+01:00" },
  timing: { gradedAt: "2025-03-01T10:00:00.123Z", durationMs: 2600 },
});
/** Not a notebook. From a Moodle download folder (participant 98765). */
const INVALID = doc("98765", {
  status: "invalid",
  identity: { kind: "moodle-participant-id", name: "Carol Jones" },
  questions: [{ id: "q1", score: 0, maxScore: 3, tests: [] }],
  messages: ["The submission carol.ipynb is not a Jupyter notebook."],
});
/** Ran out of time: 1 of 3 on the tests, manual answers graded 0: 1 of 6. No timing, no identity (an older grader). */
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
// Sorted by UTF-16 code units: digits (48-57) before "O" (79) before "d" (100).
const ORDER = ["1234", "98765", `O'Brien, "Pat"`, "dave"];
const EXPECTED_POINTS: Record<string, number> = { [`O'Brien, "Pat"`]: 3.5, "1234": 6, "98765": 0, dave: 1 };

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
// Rules: instructure/canvas-lms lib/gradebook_importer.rb (header?, update_column_count, process_student,
// check_for_non_student_row): header "Student", "ID", "SIS User ID", "SIS Login ID", "Section", then assignments;
// a row whose first cell contains "Points Possible"; rows matched by ID (Canvas user id), else SIS User ID, else SIS
// Login ID, else the Student name.

test("Canvas: header and Points Possible row as the importer reads them; one row per student in order; points with graded manual answers", () => {
  const rows = parseCsv(file(canvasCsv(DOCS), "canvas.csv"));
  assert.equal(rows[0], ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "week-1"]);
  assert.ok(rows[1]![0]!.includes("Points Possible"));
  assert.is(rows[1]![5], "6");
  const students = rows.slice(2);
  assert.equal(students.map((row) => row[1] || row[2] || row[3]), ORDER.filter((s) => s !== "98765"));
  for (const row of students) assert.is(Number(row[5]), EXPECTED_POINTS[row[1] || row[2] || row[3]!]);
});

test("Canvas: each id goes in the column that can match it, by where it came from; Student holds the name, never the id", () => {
  const r = canvasCsv(DOCS);
  const rows = parseCsv(file(r, "canvas.csv")).slice(2);
  const row = (id: string) => rows.find((x) => x.slice(1, 4).includes(id))!;
  // a Canvas download name's number is the Canvas user id: matched by the ID column
  assert.equal(row("1234").slice(0, 4), ["bobsmith", "1234", "", ""]);
  // a roster id (identity lms-id): SIS User ID by default; the roster's name in Student
  assert.equal(row(`O'Brien, "Pat"`).slice(0, 4), ["Pat O'Brien", "", `O'Brien, "Pat"`, ""]);
  // a document from an older grader (no identity): SIS User ID, as before; no name known
  assert.equal(row("dave").slice(0, 4), ["", "", "dave", ""]);
  // a Moodle participant number can never be a Canvas id (in ID it could even be another student's user id)
  assert.not.ok(rows.some((x) => x.includes("98765")));
  assert.ok(r.notes.some((n) => /leaves out 1 submissions .*Canvas cannot match.*98765/.test(n)), r.notes.join("\n"));
  // Gradescope emails and file names are login-like: SIS Login ID
  const email = doc("jane@example.edu", { identity: { kind: "gradescope-email", name: "Jane Doe" } });
  const sid = doc("20231234", { identity: { kind: "gradescope-sid" } });
  const named = doc("jdoe", { identity: { kind: "file-name" } });
  const more = parseCsv(file(canvasCsv([email, sid, named]), "canvas.csv")).slice(2);
  const byId = (id: string) => more.find((x) => x.includes(id))!.slice(0, 4);
  assert.equal(byId("jane@example.edu"), ["Jane Doe", "", "", "jane@example.edu"]);
  assert.equal(byId("20231234"), ["", "", "20231234", ""]);
  assert.equal(byId("jdoe"), ["", "", "", "jdoe"]);
});

test("Canvas: --canvas-id-column puts every id in that column; RFC 4180 quoting of a name with a comma and quotes; section", () => {
  const csv = file(canvasCsv(DOCS, { column: "Week 1, notebook (812)", idColumn: "SIS Login ID", section: "A" }), "canvas.csv");
  assert.ok(csv.split("\r\n")[0]!.endsWith(`,"Week 1, notebook (812)"`));
  assert.ok(csv.includes(`\r\nPat O'Brien,,,"O'Brien, ""Pat""",A,3.5\r\n`), csv);
  const rows = parseCsv(csv).slice(2);
  for (const row of rows) assert.ok(row[1] === "" && row[2] === "" && row[3] !== "", row.join("|"));
});

test("Canvas and Moodle refuse documents of several assignments", () => {
  const other = { ...FULL, student: "erin", assignment: "week-2" };
  assert.throws(() => canvasCsv([FULL, other]), /several assignments/);
  assert.throws(() => moodleCsv([FULL, other]), /several assignments/);
});

// ---------- Moodle ----------
// Rules: moodle/moodle mod/assign/feedback/offline/importgradeslib.php (columns found by the headers
// get_string('recordid', 'assign') = "Identifier", get_string('gradenoun') = "Grade", get_string('lastmodifiedgrade',
// 'assign') = "Last modified (grade)"; feedback by the plugin's field name, "Feedback comments"; the Identifier is
// get_string('hiddenuser', 'assign') = "Participant " + the participant number) and locallib.php
// process_import_grades (the grade through unformat_float, the date through strtotime, a row skipped when Moodle's
// grade is more than 60 s newer); grade/import/csv/classes/load_data.php (gradebook import: an unknown user aborts it).

test("Moodle worksheet: the offline grading worksheet's headers, 'Participant N' identifiers, grade, maximum, date and feedback", () => {
  const r = moodleCsv(DOCS);
  const rows = parseCsv(file(r, "moodle-worksheet.csv"));
  const header = rows[0]!;
  for (const h of ["Identifier", "Grade", "Last modified (grade)", "Feedback comments"]) assert.ok(header.includes(h), `the importer needs "${h}"`);
  const col = (h: string) => header.indexOf(h);
  // only the document named by a Moodle participant number is in the worksheet
  assert.is(rows.length, 2);
  const carol = rows[1]!;
  assert.is(carol[col("Identifier")], "Participant 98765");
  assert.is(carol[col("Identifier")]!.slice("Participant ".length), "98765", "the importer strips the hiddenuser string");
  assert.is(carol[col("Full name")], "Carol Jones");
  assert.is(carol[col("Grade")], "0");
  assert.is(carol[col("Maximum grade")], "6");
  // strtotime reads ISO 8601 with an offset exactly; the time is when the score last changed
  const when = carol[col("Last modified (grade)")]!;
  assert.match(when, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
  assert.is(Date.parse(when), Date.parse("2025-03-01T10:00:00Z"));
  assert.match(carol[col("Feedback comments")]!, /^The submission could not be graded[^\n]*\nThe submission carol\.ipynb is not a Jupyter notebook\.$/);
});

test("Moodle worksheet: Last modified is timing.modifiedAt (a manual merge after grading), --moodle-max-grade scales, decimal comma", () => {
  const merged = doc("4711", { identity: { kind: "moodle-participant-id" }, score: 3.5, questions: PENDING.questions, manual: PENDING.manual, timing: PENDING.timing! });
  const rows = parseCsv(file(moodleCsv([merged], { maxGrade: 100, decimalSeparator: "," }), "moodle-worksheet.csv"));
  const col = (h: string) => rows[0]!.indexOf(h);
  // 2 autograded + 1.5 graded by hand = 3.5 of 6 -> 58.333333 of 100
  assert.is(rows[1]![col("Grade")], "58,333333");
  assert.is(rows[1]![col("Maximum grade")], "100");
  assert.is(Date.parse(rows[1]![col("Last modified (grade)")]!), Math.floor(Date.parse("2025-03-02T09:15:30.250Z") / 1000) * 1000);
  assert.throws(() => moodleCsv([{ ...merged, timing: undefined } as ScoreDocument]), /no timing\.gradedAt; pass --timestamp/);
  assert.ok(file(moodleCsv([{ ...merged, timing: undefined } as ScoreDocument], { timestamp: "2025-04-01T08:00:00+02:00" }), "moodle-worksheet.csv").includes("2025-04-01T06:00:00+00:00"));
});

test("Moodle gradebook CSV: written only for roster ids, since one id Moodle cannot map aborts the whole import", () => {
  const none = moodleCsv(DOCS);
  assert.not.ok(none.files.some((f) => f.path === "moodle.csv"));
  assert.ok(none.notes.some((n) => /moodle\.csv was not written: .*aborts/.test(n)), none.notes.join("\n"));
  assert.ok(none.notes.some((n) => /3 submissions are in neither Moodle file .*: 1234, O'Brien, "Pat", dave/.test(n)), none.notes.join("\n"));

  const roster = parseRoster("student,lms_id,name\r\ndave,S-0042,Dave Example\r\n1234,S-0007,\r\n", "roster.csv");
  const r = moodleCsv(DOCS, { idColumn: "Email address", gradeColumn: "Notebook 1", feedback: true }, roster);
  const rows = parseCsv(file(r, "moodle.csv"));
  assert.equal(rows[0], ["Email address", "Notebook 1", "Feedback: Notebook 1"]);
  // only the roster's students, under their Moodle ids; the participant number stays in the worksheet
  assert.equal(rows.slice(1).map((x) => [x[0], Number(x[1])]), [["S-0007", 6], ["S-0042", 1]]);
  assert.match(rows.find((x) => x[0] === "S-0042")![2]!, /ran out of time\S*[\s\S]*\nGrading stopped: the notebook ran for more than 60 s\.$/);
  assert.is(rows.find((x) => x[0] === "S-0007")![2], "");
  assert.ok(r.files.some((f) => f.path === "moodle-worksheet.csv"));
});

// ---------- Gradescope ----------
// Rules: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (docs/specs.md in gradescope/autograder_samples):
// top-level output_format defaults to "simple_format" (HTML), so it is set; "text" renders nothing; test visibility
// values; stdout_visibility; execution_time in seconds.

const GS_TEST_KEYS = ["max_score", "name", "output", "output_format", "score", "status", "visibility"];

test("Gradescope: one results.json per student; score = tests + graded manual; hidden tests after_published, names only", () => {
  const r = gradescopeResults(DOCS);
  assert.equal(r.files.map((f) => f.path), ORDER.map((s) => `gradescope/${s}/results.json`));
  const pending = JSON.parse(file(r, `gradescope/O'Brien, "Pat"/results.json`));
  assert.is(pending.score, 3.5);
  assert.equal(pending.tests.map((t: { name: string }) => t.name), ["q1: shape is right", "q1: rows sum to 1", "q1: argmax kept", "proof (graded by hand)"]);
  assert.equal(pending.tests.map((t: { visibility: string }) => t.visibility), ["visible", "after_published", "after_published", "visible"]);
  assert.equal(pending.tests.map((t: { status: string }) => t.status), ["passed", "passed", "failed", "failed"]);
  for (const t of pending.tests) assert.equal(Object.keys(t).sort(), GS_TEST_KEYS);
  assert.is(pending.tests[2].output, "argmax moved at row 2");

  const full = JSON.parse(file(r, "gradescope/1234/results.json"));
  assert.is(full.score, 6);
  assert.is(full.tests.reduce((a: number, t: { score: number }) => a + t.score, 0), 6, "with every manual answer graded, the tests add up to the score");

  const invalid = JSON.parse(file(r, "gradescope/98765/results.json"));
  assert.equal(invalid.tests, []);
  assert.is(invalid.score, 0);
  assert.match(invalid.output, /not a Jupyter notebook/);
});

test("Gradescope: output_format text (the default simple_format renders HTML), execution_time in seconds, stdout hidden", () => {
  const html = doc("eve", { status: "error", questions: [{ id: "q1", score: 0, maxScore: 3, tests: [T("runs", 0, 3, false, "TypeError: <img src=x onerror=alert(1)> is not a function")] }], messages: ["Cell 4 raised: <script>alert(1)</script>"] });
  const res = gradescopeResult(html);
  assert.is(res.output_format, "text");
  assert.is(res.test_output_format, "text");
  assert.is(res.test_name_format, "text");
  assert.is(res.tests[0]!.output_format, "text");
  // the student's own text is shown as written, not as HTML
  assert.ok(res.output.includes("<script>alert(1)</script>"));
  assert.is(res.stdout_visibility, "hidden");
  assert.is(gradescopeResult(FULL).execution_time, 3, "2600 ms rounds to 3 s");
  assert.is(gradescopeResult(TIMEOUT).execution_time, undefined, "no timing, no execution_time");
  assert.is(gradescopeResult(FULL, { executionTimeSeconds: 41.4 }).execution_time, 41);
  assert.is(gradescopeResult(FULL, { stdoutVisibility: "visible" }).stdout_visibility, "visible");
});

test("Gradescope: the test points and the assignment total are related in output and extra_data", () => {
  const res = gradescopeResult(PENDING);
  const tests = res.tests.reduce((a, t) => a + t.max_score, 0);
  const pendingMax = PENDING.manual.filter((m) => m.score === null).reduce((a, m) => a + m.maxScore, 0);
  // 3 autograded + 2 graded by hand are tests; the 1 point still to grade is not, and the three make the total
  assert.is(tests + pendingMax, PENDING.maxScore);
  assert.match(res.output, /^Autograded tests: 2 of 3 points\.\nGraded by hand: 1\.5 of 2 points \(proof\)\.\nStill to be graded by hand, not in this score: 1 point \(essay\)\.\nThe assignment is worth 6 points in all\./);
  assert.equal(res.extra_data.courseware, { status: "graded", autogradedScore: 2, autogradedMaxScore: 3, maxScore: 6, pendingManual: [{ id: "essay", maxScore: 1 }] });
  const notes = gradescopeResults([PENDING]).notes;
  assert.ok(notes.some((n) => /set the assignment's autograder points to 3 and grade the free-text answers \(3 points\)/.test(n)), notes.join("\n"));
});

test("Gradescope: Markdown output escapes every ASCII punctuation of the student's text (CommonMark backslash escapes)", () => {
  const nasty = "Got <img src=x onerror=alert(1)> and **bold** [link](javascript:alert(1)) `code` & #1\nsecond line";
  const d = doc("mal", { questions: [{ id: "q1", score: 0, maxScore: 1, tests: [T("t", 0, 1, false, nasty)] }], messages: [nasty] });
  const res = gradescopeResult(d, { format: "md" });
  assert.is(res.output_format, "md");
  assert.is(res.tests[0]!.output_format, "md");
  for (const text of [res.output, res.tests[0]!.output]) {
    // every ASCII punctuation character is preceded by a backslash (an escaped backslash counts as one)
    const stripped = text.replace(/\\[!-/:-@[-`{-~]/g, "");
    assert.not.match(stripped, /[!-/:-@[-`{-~]/, stripped);
    assert.ok(text.includes("\\<img src\\=x onerror\\=alert\\(1\\)\\>"));
  }
  assert.ok(res.tests[0]!.output.includes("\\#1  \nsecond line"), "a line end becomes a hard break");
  assert.is(escapeMarkdown("a\\b"), "a\\\\b");
});

test("Gradescope: --hidden-visibility, top-level visibility for the public tests, --single needs exactly one document", () => {
  const r = gradescopeResults([FULL], { hiddenVisibility: "hidden" });
  const tests = JSON.parse(file(r, "gradescope/1234/results.json")).tests;
  assert.equal(tests.map((t: { visibility: string }) => t.visibility), ["visible", "hidden", "hidden", "visible", "visible"]);
  const top = gradescopeResult(FULL, { visibility: "after_due_date" });
  assert.is(top.visibility, "after_due_date");
  // a test with its own visibility overrides the top level; the public ones follow it
  assert.equal(top.tests.map((t) => t.visibility), [undefined, "after_published", "after_published", undefined, undefined]);
  assert.equal(JSON.parse(file(gradescopeSingle([TIMEOUT]), "results.json")).score, 1);
  assert.throws(() => gradescopeSingle([FULL, TIMEOUT]), /exactly one/);
  assert.throws(() => gradescopeSingle([]), /exactly one/);
  assert.throws(() => gradescopeResults([{ ...FULL, student: "../evil" }]), /cannot be used as a file name/);
});

test("Gradescope bundle: setup.sh installs an LTS Node (24) for the project's engines; scripts executable, bash -n clean, assignment quoted", async () => {
  const assignment = "week 1's notebook";
  const dir = mkdtempSync(join(tmpdir(), "gs-bundle-"));
  const written = await writeExportFiles(dir, gradescopeBundle({ assignment, format: "md", stdoutVisibility: "after_published" }));
  for (const name of ["setup.sh", "run_autograder"]) {
    const path = join(dir, "gradescope-autograder", name);
    assert.ok(written.includes(path));
    assert.ok((statSync(path).mode & 0o111) === 0o111, `${name} is executable`);
    const check = spawnSync("bash", ["-n", path], { encoding: "utf8" });
    assert.is(check.status, 0, check.stderr);
    assert.ok(readFileSync(path, "utf8").startsWith("#!/usr/bin/env bash\n"));
  }
  const setup = readFileSync(join(dir, "gradescope-autograder", "setup.sh"), "utf8");
  // Node 20 is end-of-life; 24 is an LTS line; the minimum is the project's own (package.json engines)
  assert.match(setup, /deb\.nodesource\.com\/setup_24\.x/);
  assert.not.match(setup, /setup_20\.x/);
  const engines = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node as string;
  assert.is(engines, NODE_ENGINES);
  // the check setup.sh runs, tried on versions in and out of the range
  const check = /node -e '([^']+)'/.exec(setup)![1]!;
  for (const [version, ok] of [["20.18.1", false], ["20.19.0", true], ["21.7.0", false], ["22.11.0", false], ["22.12.0", true], ["23.9.0", false], ["24.0.0", true], ["26.1.0", true]] as const) {
    const r = spawnSync(process.execPath, ["-e", check.replace("process.versions.node", JSON.stringify(version))]);
    assert.is(r.status === 0, ok, version);
  }
  assert.match(setup, /\/autograder\/source/);
  const run = readFileSync(join(dir, "gradescope-autograder", "run_autograder"), "utf8");
  assert.match(run, /AUTOGRADER_ROOT:-\/autograder\}/);
  assert.match(run, /courseware-autograder\.js" gradescope --root "\$ROOT" --assignment 'week 1'\\''s notebook' --stdout-visibility after_published --format md$/m);
  const echoed = spawnSync("bash", ["-c", `printf %s ${shellQuote(assignment)}`], { encoding: "utf8" });
  assert.is(echoed.stdout, assignment);
  // the node line that the setup script runs must accept this machine's Node (>= 20.19) and be the same test
  const nodeTest = /node -e '([^']+)'/.exec(setup)![1]!;
  assert.is(spawnSync(process.execPath, ["-e", nodeTest]).status, 0);
});

// ---------- PrairieLearn ----------
// Rules: PrairieLearn docs/externalGrading.md ("Grading results": score in [0, 1]; gradable false + format_errors for
// invalid input) and docs/assessment/configuration.md (the external grader gives auto points; manual points are
// graded by a person in PrairieLearn): score = autograded points / autograded maximum.

test("PrairieLearn: score = autograded points / autograded maximum; free-text answers are left to manualPoints", () => {
  const r = prairieLearnResults(DOCS);
  const pending = JSON.parse(file(r, `prairielearn/O'Brien, "Pat"/results.json`));
  assert.is(pending.gradable, true);
  assert.ok(Math.abs(pending.score - 2 / 3) < 1e-6, String(pending.score));
  assert.equal(pending.tests.map((t: { name: string; points: number; max_points: number }) => [t.name, t.points, t.max_points]), [
    ["q1: shape is right", 1, 1],
    ["q1: rows sum to 1", 1, 1],
    ["q1: argmax kept", 0, 1],
  ]);
  for (const t of pending.tests) assert.ok("points" in t && "max_points" in t, "every test has both, or PrairieLearn hides the per-test points");
  assert.match(pending.message, /Graded by hand \(the question's manual points, not in this score\): essay, proof \(3 points\)/);
  // every autograded test passed: 1.0, whatever the free-text answers
  assert.is(JSON.parse(file(r, "prairielearn/1234/results.json")).score, 1);
  const timeout = JSON.parse(file(r, "prairielearn/dave/results.json"));
  assert.ok(Math.abs(timeout.score - 1 / 3) < 1e-6);
  assert.match(timeout.message, /ran out of time/);
  const invalid = JSON.parse(file(r, "prairielearn/98765/results.json"));
  assert.is(invalid.gradable, false);
  assert.is(invalid.score, undefined);
  assert.equal(invalid.format_errors, ["The submission carol.ipynb is not a Jupyter notebook."]);
  assert.ok(r.notes.some((n) => /fractions of the autograded points \(3\); the free-text answers \(3 points\) are the question's manualPoints/.test(n)), r.notes.join("\n"));
});

// ---------- LTI AGS ----------

const ACTIVITY = ["Initialized", "Started", "InProgress", "Submitted", "Completed"];
const GRADING = ["FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"];
const ALLOWED = ["userId", "scoreGiven", "scoreMaximum", "comment", "timestamp", "activityProgress", "gradingProgress", "submission"];
/** ISO 8601 with sub-second precision and a zone (AGS 2.0 score `timestamp`). */
const SUBSECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+(Z|[+-]\d{2}:\d{2})$/;

/** The score publish service's rules (IMS AGS 2.0 §3.4), checked independently of the exporter. */
function checkAgsScore(s: Record<string, unknown>): void {
  for (const k of ["userId", "timestamp", "activityProgress", "gradingProgress"]) assert.ok(k in s, `${k} is required`);
  for (const k of Object.keys(s)) assert.ok(ALLOWED.includes(k), `unexpected ${k}`);
  assert.type(s["userId"], "string");
  assert.ok(ACTIVITY.includes(s["activityProgress"] as string));
  assert.ok(GRADING.includes(s["gradingProgress"] as string));
  assert.match(s["timestamp"] as string, SUBSECOND);
  // a score without scoreGiven clears the platform's grade: every payload carries one
  assert.type(s["scoreGiven"], "number");
  assert.ok((s["scoreGiven"] as number) >= 0);
  assert.type(s["scoreMaximum"], "number");
  assert.ok((s["scoreMaximum"] as number) > 0);
  if ("comment" in s) assert.type(s["comment"], "string");
  if ("submission" in s) assert.match((s["submission"] as { submittedAt: string }).submittedAt, SUBSECOND);
}

test("LTI: payloads follow the AGS score shape; grading progress per status; submittedAt when known", () => {
  assert.throws(() => ltiScores(DOCS), /dave.*no timing\.gradedAt.*--timestamp/);
  const r = ltiScores(DOCS, { timestamp: "2025-03-02T08:30:00+01:00" });
  const get = (s: string) => JSON.parse(file(r, `lti/${s}.json`));
  for (const s of ORDER.filter((x) => x !== "98765")) checkAgsScore(get(s));
  const pending = get(`O'Brien, "Pat"`);
  assert.equal([pending.userId, pending.scoreGiven, pending.scoreMaximum, pending.gradingProgress, pending.activityProgress], [`O'Brien, "Pat"`, 3.5, 6, "PendingManual", "Completed"]);
  const full = get("1234");
  assert.equal([full.scoreGiven, full.gradingProgress, full.comment], [6, "FullyGraded", undefined]);
  // Gradescope's created_at, normalised to UTC with milliseconds
  assert.equal(full.submission, { submittedAt: "2025-02-28T22:59:01.500Z" });
  assert.not.ok("submission" in pending, "no submittedAt known, no submission object");
  const timeout = get("dave");
  assert.equal([timeout.scoreGiven, timeout.gradingProgress], [1, "FullyGraded"]);
  assert.match(timeout.comment, /ran out of time/);
  assert.is(JSON.parse(file(ltiScores([FULL], { activityProgress: "Submitted" }), "lti/1234.json")).activityProgress, "Submitted");
});

test("LTI: an unreadable notebook gets no payload, so the grade the platform has stays; it is listed for the staff", () => {
  const r = ltiScores(DOCS, { timestamp: "2025-03-02T08:30:00.000Z" });
  assert.not.ok(r.files.some((f) => f.path === "lti/98765.json"));
  assert.equal(JSON.parse(file(r, "lti-skipped.json")), [{ userId: "98765", reason: "not a gradable notebook", message: "The submission could not be graded: it is not a gradable notebook. No points were given.\nThe submission carol.ipynb is not a Jupyter notebook." }]);
  assert.ok(r.notes.some((n) => /1 submissions got no LTI score \(a score without scoreGiven would clear the grade the platform already has\): 98765/.test(n)), r.notes.join("\n"));
});

test("LTI: timestamp = when the score last changed, ms precision; strictly later after a manual merge and after a regrade", () => {
  const stamp = (d: ScoreDocument, opts = {}) => JSON.parse(file(ltiScores([d], opts), `lti/${d.student}.json`)).timestamp as string;
  // timing.modifiedAt, not gradedAt, and --timestamp is normalised to UTC with milliseconds
  assert.is(stamp(PENDING), "2025-03-02T09:15:30.250Z");
  assert.is(stamp(FULL), "2025-03-01T10:00:00.123Z");
  assert.is(stamp(TIMEOUT, { timestamp: "2025-03-02T08:30:00+01:00" }), "2025-03-02T07:30:00.000Z");
  assert.is(stamp(TIMEOUT, { timestamp: "2025-03-02T08:30:00.1234567Z" }), "2025-03-02T08:30:00.123Z");

  // a TA merges a manual score (manual/sheet.ts planMerge), with the clock a minute behind the last change
  const before = doc("gina", { score: 2, questions: PENDING.questions, manual: [{ id: "essay", maxScore: 1, answer: "x", score: null }], timing: { gradedAt: "2025-03-05T12:00:00.000Z", durationMs: 3, modifiedAt: "2025-03-05T12:00:00.000Z" } });
  const text = JSON.stringify(before);
  const plan = planMerge([{ path: "students/gina.json", text, doc: before }], null, "student,question,score\r\ngina,essay,1\r\n", "sheet.csv", new Date("2025-03-05T11:59:00.000Z"));
  const merged = plan.documents[0]!;
  assert.ok(stamp(merged) > stamp(before), `${stamp(merged)} after ${stamp(before)}`);
  // a regrade replaces the document: grade-batch gives it laterTimestamp(previous modifiedAt, its gradedAt)
  const regradedAt = "2025-03-05T11:00:00.000Z"; // a machine whose clock is behind
  const regraded = { ...merged, timing: { gradedAt: regradedAt, durationMs: 3, modifiedAt: laterTimestamp(modifiedAt(merged), new Date(regradedAt)) } };
  assert.ok(stamp(regraded) > stamp(merged), `${stamp(regraded)} after ${stamp(merged)}`);
  for (const t of [stamp(before), stamp(merged), stamp(regraded)]) assert.match(t, SUBSECOND);
});

// ---------- what students see never holds the staff's notes ----------

test("no export holds a staff note (studentView): feedback columns, LTI comments, Gradescope and PrairieLearn output", () => {
  const roster = parseRoster(`student,lms_id\r\ndave,lms-dave\r\n1234,lms-1234\r\n"O'Brien, ""Pat""",lms-pat\r\n`, "roster.csv");
  for (const opts of [{ timestamp: "2025-03-02T08:30:00.000Z", moodleFeedback: true }, { timestamp: "2025-03-02T08:30:00.000Z", moodleFeedback: true, roster }]) {
    const r = exportFormat("all", DOCS, opts);
    for (const f of r.files) assert.not.ok(f.content.includes("STAFF-ONLY"), `${f.path} holds a staff note`);
  }
  for (const d of DOCS) {
    assert.not.ok(JSON.stringify(gradescopeResult(d, { format: "md" })).includes("STAFF"));
    assert.not.ok(JSON.stringify(prairieLearnResult(d)).includes("STAFF"));
  }
});

// ---------- a roster: grader ids to LMS ids ----------

test("roster: exports use each student's LMS id (and name), leave out unlisted students, and say who is missing", () => {
  const roster = parseRoster(
    ["student,lms_id,name", `1234,lti-sub-b0b,Bob Example`, `"O'Brien, ""Pat""",lti-sub-pat,`, "dave,lti-sub-dave,Dave Example", "erin,lti-sub-erin,Erin Example"].join("\r\n"),
    "roster.csv",
  );
  const r = exportFormat("all", DOCS, { roster, timestamp: "2025-03-02T08:30:00.000Z" });
  // LTI: the payload for bob is addressed to his LTI user id; carol (98765) is not in the roster, so nothing is sent for her
  const lti = r.files.filter((f) => f.path.startsWith("lti/")).map((f) => f.path);
  assert.equal(lti, ["lti/lti-sub-b0b.json", "lti/lti-sub-dave.json", "lti/lti-sub-pat.json"]);
  assert.is(JSON.parse(file(r, "lti/lti-sub-b0b.json")).userId, "lti-sub-b0b");
  assert.is(JSON.parse(file(r, "lti/lti-sub-b0b.json")).scoreGiven, 6);
  // Canvas: a roster id goes in SIS User ID; the roster's name in Student, else the name the document has
  const canvas = parseCsv(file(r, "canvas.csv"));
  const bob = canvas.find((row) => row[2] === "lti-sub-b0b")!;
  assert.equal([bob[0], bob[1], bob[5]], ["Bob Example", "", "6"]);
  assert.is(canvas.find((row) => row[2] === "lti-sub-pat")![0], "Pat O'Brien");
  assert.not.ok(canvas.some((row) => row.includes("98765")));
  assert.ok(r.notes.some((n) => /1 score documents are for students the roster does not list and were not exported: 98765/.test(n)), r.notes.join("\n"));
  // Moodle: the gradebook CSV has the roster ids; the worksheet keeps the participant number, a Moodle id already
  assert.equal(parseCsv(file(r, "moodle.csv")).slice(1).map((row) => row[0]), ["lti-sub-b0b", "lti-sub-dave", "lti-sub-pat"]);
  assert.equal(parseCsv(file(r, "moodle-worksheet.csv")).slice(1).map((row) => row[0]), ["Participant 98765"]);
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
  assert.equal(a.files.map((f) => f.path).filter((p) => !p.includes("/")).sort(), ["canvas.csv", "lti-skipped.json", "moodle-worksheet.csv"]);
  assert.equal(new Set(a.files.map((f) => f.path.split("/")[0])), new Set(["canvas.csv", "moodle-worksheet.csv", "lti-skipped.json", "gradescope", "gradescope-autograder", "prairielearn", "lti"]));
  assert.ok(a.notes.some((n) => /1 of 4 submissions have manual answers not graded yet/.test(n)));
});

test("exportFormat rejects unknown formats and option values as usage errors", () => {
  assert.throws(() => exportFormat("blackboard", DOCS), (e: Error) => e.name === "UsageError" && /blackboard/.test(e.message));
  assert.throws(() => exportFormat("gradescope", DOCS, { hiddenVisibility: "visible" }), /--hidden-visibility/);
  assert.throws(() => exportFormat("lti", DOCS, { timestamp: "2025-03-02 08:30" }), /--timestamp/);
  assert.throws(() => exportFormat("canvas", DOCS, { canvasIdColumn: "Email" }), /--canvas-id-column/);
  assert.throws(() => exportFormat("canvas", DOCS, { single: true }), /--single/);
  assert.throws(() => exportFormat("gradescope", DOCS, { gradescopeFormat: "html" }), /--gradescope-format/);
  assert.throws(() => exportFormat("gradescope", DOCS, { stdoutVisibility: "students" }), /--stdout-visibility/);
  assert.throws(() => exportFormat("moodle", DOCS, { moodleMaxGrade: "0" }), /--moodle-max-grade/);
  assert.throws(() => exportFormat("moodle", DOCS, { moodleDecimalSeparator: ";" }), /--moodle-decimal-separator/);
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
  assert.equal(ok.map((d) => d.student), ["1234", "98765"]);
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
