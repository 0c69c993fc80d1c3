import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertScoreDocument, assertSummaryDocument } from "../src/grade/schema.js";
import type { SummaryDocument } from "../src/grade/score-document.js";
import { formatCsv, parseCsv } from "../src/csv/csv.js";
import { SheetError, mergeSheet, writeSheet } from "../src/manual/sheet.js";
import { SCRIPT, TRICKY, doc, gradesDir, readDoc, snapshot } from "./grades-fixture.js";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
const HEADER = ["student", "question", "max_points", "answer", "score", "comment"];

async function sheetOf(dir: string): Promise<string[][]> {
  const file = join(dir, "sheet.csv");
  await writeSheet(dir, file);
  return parseCsv(readFileSync(file, "utf8")).map((r) => r.fields);
}

/** Writes a sheet of rows (header added) next to the grades and returns its path. */
function sheetFile(dir: string, rows: string[][], header = HEADER): string {
  const file = join(dir, "filled.csv");
  writeFileSync(file, formatCsv([header, ...rows]));
  return file;
}

const summaryOf = (dir: string): SummaryDocument => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));

test("the sheet has one row per student and free-text question, answers intact, score and comment empty", async () => {
  const dir = gradesDir();
  const rows = await sheetOf(dir);
  assert.equal(rows, [
    HEADER,
    ["alice", "nn-definition", "1", "Layers of neurons.", "", ""],
    ["alice", "attention", "2", TRICKY, "", ""],
    ["bob", "nn-definition", "1", SCRIPT, "", ""],
    // An answer a spreadsheet would run as a formula is shown with a leading apostrophe.
    ["bob", "attention", "2", "'=HYPERLINK(\"http://x\")", "", ""],
  ]);
});

test("a sheet made from graded documents comes pre-filled with their scores and comments", async () => {
  const graded = doc("dave", { score: 4.5, manual: [{ id: "nn-definition", maxScore: 1, answer: "x", score: 1, comment: 'fine, "really"' }, { id: "attention", maxScore: 2, answer: "y", score: null }] });
  const rows = await sheetOf(gradesDir([graded]));
  assert.equal(rows.slice(1), [
    ["dave", "nn-definition", "1", "x", "1", 'fine, "really"'],
    ["dave", "attention", "2", "y", "", ""],
  ]);
});

test("merging sets scores and comments, the total, the pending list and the summary; documents stay valid", async () => {
  const dir = gradesDir();
  const carolBefore = readFileSync(join(dir, "students/carol.json"), "utf8");
  const rows = (await sheetOf(dir)).slice(1);
  const fill: Record<string, [string, string]> = {
    "alice/nn-definition": ["1", ""],
    "alice/attention": ["1.5", 'Good; but "why" the sqrt(d)?\nSee lecture 3, <slide 12>.'],
    "bob/nn-definition": [" 0.5 ", "Too short."],
    // bob/attention stays blank: still pending
  };
  const filled = rows.map(([s, q, max, answer, score, comment]) => {
    const f = fill[`${s}/${q}`];
    return [s!, q!, max!, answer!, f ? f[0] : score!, f ? f[1] : comment!];
  });
  const plan = await mergeSheet(dir, sheetFile(dir, filled));
  assert.is(plan.rows, 4);

  const alice = readDoc(dir, "alice");
  assert.equal(alice.manual.map((m) => [m.id, m.score, m.comment]), [
    ["nn-definition", 1, undefined],
    ["attention", 1.5, 'Good; but "why" the sqrt(d)?\nSee lecture 3, <slide 12>.'],
  ]);
  assert.is(alice.manual[1]!.answer, TRICKY);
  assert.is(alice.score, 6); // 3.5 auto + 1 + 1.5
  assert.equal(alice.needsManualGrading, []);
  assert.equal(alice.questions, doc("alice").questions, "the auto-graded part is not touched");

  const bob = readDoc(dir, "bob");
  assert.equal(bob.manual.map((m) => [m.id, m.score, m.comment]), [["nn-definition", 0.5, "Too short."], ["attention", null, undefined]]);
  assert.is(bob.score, 4); // 3.5 + 0.5
  assert.equal(bob.needsManualGrading, ["attention"]);

  for (const d of [alice, bob]) assertScoreDocument(d);
  assert.is(readFileSync(join(dir, "students/carol.json"), "utf8"), carolBefore, "a student without rows is left as it was");

  const summary = summaryOf(dir);
  assertSummaryDocument(summary);
  assert.equal(summary.results.map((r) => [r.student, r.score, r.maxScore]), [["alice", 6, 9], ["bob", 4, 9], ["carol", 0, 9]]);
});

test("a second merge can change a score back to pending (blank) and drop a comment", async () => {
  const dir = gradesDir();
  await mergeSheet(dir, sheetFile(dir, [["alice", "nn-definition", "1", "", "1", "ok"], ["alice", "attention", "2", "", "2", "great"]]));
  assert.is(readDoc(dir, "alice").score, 6.5);
  assert.equal(readDoc(dir, "alice").needsManualGrading, []);
  const rows = (await sheetOf(dir)).slice(1).filter((r) => r[0] === "alice");
  assert.equal(rows.map((r) => [r[4], r[5]]), [["1", "ok"], ["2", "great"]]);
  await mergeSheet(dir, sheetFile(dir, [["alice", "nn-definition", "1", "", "", ""], ["alice", "attention", "2", "", "2", "great"]]));
  const alice = readDoc(dir, "alice");
  assert.equal(alice.manual.map((m) => [m.score, m.comment]), [[null, undefined], [2, "great"]]);
  assert.is(alice.score, 5.5);
  assert.equal(alice.needsManualGrading, ["nn-definition"]);
  assert.is(summaryOf(dir).results[0]!.score, 5.5);
});

const GOOD = ["alice", "nn-definition", "1", "", "1", "a good row that must not be written either"];
const bad: Array<[string, string[][], RegExp]> = [
  ["an unknown student", [GOOD, ["mallory", "nn-definition", "1", "", "1", ""]], /line 3 \(student "mallory", question "nn-definition"\): unknown student "mallory"/],
  ["an unknown question", [GOOD, ["bob", "essay", "1", "", "1", ""]], /line 3 \(student "bob", question "essay"\): unknown question "essay"; this student's free-text questions: nn-definition, attention/],
  ["a question of a student without free-text answers", [GOOD, ["carol", "nn-definition", "1", "", "1", ""]], /line 3 .*unknown question "nn-definition"; .*: none/],
  ["a score over max_points", [GOOD, ["bob", "attention", "2", "", "2.5", ""]], /line 3 \(student "bob", question "attention"\): score 2\.5 is over max_points 2/],
  ["a negative score", [GOOD, ["bob", "attention", "2", "", "-1", ""]], /line 3 .*: score -1 is below 0/],
  ["a score that is not a number", [GOOD, ["bob", "attention", "2", "", "1,5", ""]], /line 3 .*: score "1,5" is not a number/],
  ["a score in words", [GOOD, ["bob", "attention", "2", "", "full marks", ""]], /line 3 .*: score "full marks" is not a number/],
  ["NaN", [GOOD, ["bob", "attention", "2", "", "NaN", ""]], /line 3 .*: score "NaN" is not a number/],
  ["two rows for one answer", [GOOD, ["alice", "nn-definition", "1", "", "0", ""]], /line 3 .*: a second row for the same student and question/],
  ["a changed max_points", [GOOD, ["bob", "attention", "3", "", "2.5", ""]], /line 3 .*: max_points "3" differs from the score document's 2/],
  ["a row with a missing field", [GOOD, ["bob", "attention", "2", "", "1"]], /line 3: 5 fields where the header has 6/],
];
for (const [what, rows, message] of bad) {
  test(`a sheet with ${what} is refused and no file changes`, async () => {
    const dir = gradesDir();
    const sheet = sheetFile(dir, rows);
    const before = snapshot(dir);
    const err = await mergeSheet(dir, sheet).then(() => null, (e: Error) => e);
    assert.ok(err instanceof SheetError, `expected a SheetError, got ${err}`);
    assert.match(err.message, message);
    assert.match(err.message, /nothing was written/);
    assert.equal(snapshot(dir), before);
  });
}

test("every bad row is listed at once, with the line it starts on", async () => {
  const dir = gradesDir();
  // The first data row spans two lines, so the next rows start on lines 4 and 5.
  const sheet = sheetFile(dir, [["alice", "attention", "2", "two\nlines", "1", ""], ["bob", "attention", "2", "", "x", ""], ["zed", "attention", "2", "", "1", ""]]);
  const err = await mergeSheet(dir, sheet).then(() => null, (e: Error) => e);
  assert.ok(err instanceof SheetError);
  assert.equal(err.problems.map((p) => p.replace(/:.*/s, "")), ['line 4 (student "bob", question "attention")', 'line 5 (student "zed", question "attention")']);
});

test("a sheet without a score column, or with broken quoting, is refused", async () => {
  const dir = gradesDir();
  const noScore = sheetFile(dir, [["alice", "nn-definition", "1"]], ["student", "question", "max_points"]);
  const broken = join(dir, "broken.csv");
  writeFileSync(broken, 'student,question,score\nalice,nn-definition,"1\n');
  const before = snapshot(dir);
  await mergeSheet(dir, noScore).then(() => assert.unreachable("merged"), (e: Error) => assert.match(e.message, /line 1: the header has no "score" column/));
  await mergeSheet(dir, broken).then(() => assert.unreachable("merged"), (e: Error) => assert.match(e.message, /line 2: a quoted field is never closed/));
  assert.equal(snapshot(dir), before);
});

test("a sheet needs only student, question and score; blank lines are skipped; without a comment column comments stay", async () => {
  const dir = gradesDir([doc("alice", { manual: [{ id: "nn-definition", maxScore: 1, answer: "x", score: 1, comment: "keep me" }] })]);
  const sheet = join(dir, "minimal.csv");
  writeFileSync(sheet, "Question,Student,Score\r\n\r\nnn-definition,alice,0.25\r\n");
  await mergeSheet(dir, sheet);
  const alice = readDoc(dir, "alice");
  assert.equal(alice.manual[0], { id: "nn-definition", maxScore: 1, answer: "x", score: 0.25, comment: "keep me" });
  assert.is(alice.score, 3.75);
});

test("the schema accepts comments and needsManualGrading, and rejects them malformed", () => {
  const good = doc("alice", { needsManualGrading: ["attention"], manual: [{ id: "nn-definition", maxScore: 1, answer: "", score: 1, comment: "ok" }] });
  assertScoreDocument(good);
  assert.throws(() => assertScoreDocument({ ...good, manual: [{ ...good.manual[0]!, comment: 3 }] }), /comment/);
  assert.throws(() => assertScoreDocument({ ...good, needsManualGrading: ["a", "a"] }), /needsManualGrading/);
  assert.throws(() => assertScoreDocument({ ...good, needsManualGrading: "attention" }), /needsManualGrading/);
});

test("CLI: manual sheet, then grade --manual merges without regrading", () => {
  const dir = gradesDir();
  const sheet = join(dir, "sheet.csv");
  const made = run("manual", "sheet", "--from", dir, "--out", sheet);
  assert.is(made.status, 0, made.stderr);
  assert.match(made.stdout, /4 free-text answers from 2 students, 4 waiting for a score/);
  const rows = parseCsv(readFileSync(sheet, "utf8")).map((r) => r.fields);
  rows[1]![4] = "0.5";
  writeFileSync(sheet, formatCsv(rows));
  const merged = run("grade", "--manual", sheet, "--out", dir);
  assert.is(merged.status, 0, merged.stderr);
  assert.match(merged.stdout, /alice\s+graded\s+4 \/ 9/);
  assert.match(merged.stdout, /still waiting for a TA: alice\/attention, bob\/nn-definition, bob\/attention/);
  assert.is(readDoc(dir, "alice").score, 4);
});

test("CLI: a bad sheet exits 1, names the row and changes nothing", () => {
  const dir = gradesDir();
  const sheet = sheetFile(dir, [GOOD, ["bob", "attention", "2", "", "7", ""]]);
  const before = snapshot(dir);
  const r = run("grade", "--manual", sheet, "--out", dir);
  assert.is(r.status, 1);
  assert.match(r.stderr, /line 3 \(student "bob", question "attention"\): score 7 is over max_points 2/);
  assert.equal(snapshot(dir), before);
});

test("CLI: usage errors exit 2 and say what is wrong", () => {
  const dir = gradesDir();
  const sheet = sheetFile(dir, [GOOD]);
  const before = snapshot(dir);
  const cases: Array<[string[], RegExp]> = [
    [["grade", "--out", dir], /Give the submission files or folders to grade, or --manual/],
    [["grade", "--manual", sheet, "examples/llm-architecture", "--out", dir], /give no submission paths with it/],
    [["grade", "--manual", sheet, "--out", dir, "--timeout", "5", "--assignment", "x"], /--assignment, --timeout apply to grading, not to --manual/],
    [["grade", "--manual", sheet], /--out/],
    [["grade", "--manual", join(dir, "nope.csv"), "--out", dir], /No such file: .*nope\.csv/],
    [["grade", "--manual", sheet, "--out", join(dir, "students")], /No score documents in/],
    [["manual", "sheet", "--from", dir], /--out/],
    [["manual", "sheet", "--from", join(dir, "nowhere"), "--out", join(dir, "s.csv")], /No score documents in .*nowhere/],
    [["feedback", "--out", join(dir, "fb")], /--from/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.is(r.status, 2, `${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
  }
  assert.equal(snapshot(dir), before);
});

test.run();
