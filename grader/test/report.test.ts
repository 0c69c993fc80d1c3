// `courseware report` on a small made-up batch (report-batch.ts): every figure against values worked out by hand
// below, the planted copy ranked first, and the command's files and messages.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Report } from "../src/report/report-data.js";
import { writeReport } from "../src/report/write-report.js";
import { reportBatch, reportBatchDir } from "./report-batch.js";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");
const SOLUTIONS = join(ROOT, "solutions");

let report: Report;
let html: string;
test.before(async () => {
  const out = mkdtempSync(join(tmpdir(), "report-"));
  const r = await writeReport({ from: reportBatchDir(), out, solutionsDir: SOLUTIONS, minSimilarity: 0.5, shownPairs: 25 });
  report = JSON.parse(readFileSync(r.jsonPath, "utf8"));
  html = readFileSync(r.htmlPath, "utf8");
});

test("the class: statuses, scores of the graded five (4, 3, 2, 1, 0 of 7), the histogram in tenths of 7", () => {
  assert.equal(report.class.statuses, { graded: 5, invalid: 1, error: 1, timeout: 1 });
  const s = report.class.score;
  // the manual points count where a person gave them: s1 4 + 1, s2 3 + 0.5
  assert.equal([s.graded, s.maxScore, s.min, s.max], [5, 7, 0, 5]);
  // scores 5, 3.5, 2, 1, 0: mean 11.5 / 5 = 2.3, median 2, population sd sqrt((7.29 + 1.44 + 0.09 + 1.69 + 5.29) / 5) = sqrt(3.16)
  assert.is(s.mean, 2.3);
  assert.is(s.median, 2);
  assert.is(s.sd, Math.round(Math.sqrt(3.16) * 1000) / 1000);
  // bins of 0.7: 0 → 0, 1 → 1 (1.43), 2 → 2 (2.86), 3.5 → 5 (exactly 5.0), 5 → 7 (7.14)
  assert.equal(s.histogram.map((b) => b.count), [1, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  assert.equal([s.histogram[0]!.from, s.histogram[0]!.to, s.histogram[9]!.to], [0, 0.7, 7]);
});

test("the class: what stopped the timeout, the error and the invalid file, each with its message", () => {
  assert.equal(report.class.problems.map((p) => [p.status, p.students]), [["invalid", ["s8"]], ["error", ["s7"]], ["timeout", ["s6"]]]);
  const timeout = report.class.problems.find((p) => p.status === "timeout")!;
  // the sandbox note every graded document carries too is not a reason: only the student's message is listed
  assert.equal(timeout.messages, [{ example: 'Code cell 33 ("softmax") ran past the cell time limit of 30 s.', count: 1 }]);
});

test("grading time: median and 90th percentile of the eight, the slowest first, and per queue worker", () => {
  const time = report.class.time;
  // sorted: 5, 500, 1000, 2000, 3000, 4000, 5000, 60000; type-7 quantiles: median at 3.5 → 2500; p90 at 6.3 → 5000 + 0.3 * 55000
  assert.equal([time.measured, time.medianMs, time.p90Ms, time.maxMs], [8, 2500, 21500, 60000]);
  assert.equal(time.slowest.slice(0, 2), [{ student: "s6", ms: 60000 }, { student: "s5", ms: 5000 }]);
  // w1 graded s1..s3 (1, 2, 3 s), w2 s4 and s5 (4, 5 s)
  assert.equal(time.byWorker, [{ worker: "w1", count: 3, medianMs: 2000 }, { worker: "w2", count: 2, medianMs: 4500 }]);
  assert.is(time.histogram.reduce((a, b) => a + b.count, 0), 8);
});

test("questions: mean and distribution of points over the graded five", () => {
  const [softmax, matrix] = report.questions;
  // softmax: 3, 3, 1, 1, 0 → mean 1.6; similarity-matrix: 1, 0, 1, 0, 0 → mean 0.4
  assert.equal([softmax!.id, softmax!.graded, softmax!.mean, softmax!.distribution], ["softmax", 5, 1.6, [{ score: 0, count: 1 }, { score: 1, count: 2 }, { score: 3, count: 2 }]]);
  assert.equal([matrix!.id, matrix!.mean, matrix!.distribution], ["similarity-matrix", 0.4, [{ score: 0, count: 3 }, { score: 1, count: 2 }]]);
});

test("tests: share passing, difficulty, discrimination worked out by hand; the test nobody passes is flagged", () => {
  const byName = new Map(report.questions.flatMap((q) => q.tests.map((t) => [t.name, t])));
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  // T1 points [1,1,1,1,0] against the rest [3,2,1,0,0]: sxy 1.2, sxx 0.8, syy 6.8
  const t1 = byName.get("p is a Tensor")!;
  assert.equal([t1.taken, t1.passed, t1.passShare, t1.difficulty, t1.discrimination], [5, 4, 0.8, 0.8, r3(1.2 / Math.sqrt(0.8 * 6.8))]);
  // T2 [2,2,0,0,0] against [2,1,2,1,0]: sxy 1.2, sxx 4.8, syy 2.8
  const t2 = byName.get("rows sum to 1")!;
  assert.equal([t2.passed, t2.passShare, t2.difficulty, t2.discrimination, t2.hidden], [2, 0.4, 0.4, r3(1.2 / Math.sqrt(4.8 * 2.8)), true]);
  assert.equal(t2.failures, [{ example: "row 0 sums to 1.3", count: 3 }]);
  // T3 [1,0,1,0,0] against [3,3,1,1,0]: sxy 0.8, sxx 1.2, syy 7.2
  const t3 = byName.get("similarityMatrix is 3 x 3")!;
  assert.equal([t3.passShare, t3.discrimination, t3.flags], [0.4, r3(0.8 / Math.sqrt(1.2 * 7.2)), []]);
  // T4: nobody passes, so its points do not vary and the correlation is undefined
  const t4 = byName.get("diagonal is one")!;
  assert.equal([t4.passed, t4.passShare, t4.difficulty, t4.discrimination], [0, 0, 0, null]);
  assert.equal(t4.flags.length, 1);
  assert.match(t4.flags[0]!, /almost nobody passes it \(0 of 5\)/);
  // the same message with other numbers is one kind of failure: three diagonal messages (s1 and s3 alike, s2 other numbers), two undefined
  assert.equal(t4.failures.map((f) => f.count), [3, 2]);
  assert.match(t4.failures[0]!.example, /^entry \(0, 0\) is 0\.92/);
  assert.is(t4.failures[1]!.example, "`similarityMatrix` is not defined in the notebook.");
});

test("manual grading: answers, graded, waiting, by question; the batch's staff notes once", () => {
  // seven documents hold the answer (not the invalid one); s1 got 1, s2 0.5
  assert.equal(report.manual, [{ id: "nn-definition", maxScore: 1, answers: 7, graded: 2, pending: 5, mean: 0.75 }]);
  // summary.json's notes (seven of the eight documents carry the sandbox note; the invalid file was never run)
  assert.equal(report.staffNotes, ["7 of 8 submissions: Sandbox layers: node-permission-model, bubblewrap."]);
  assert.is((html.match(/Sandbox layers: node-permission-model/g) ?? []).length, 1);
});

test("similar answers: the planted copy ranks first; no two independent answers are listed; free text too", async () => {
  const scores = report.similarity.map((p) => p.score);
  assert.equal(scores, [...scores].sort((a, b) => b - a), "highest first");
  const code = report.similarity.filter((p) => p.kind === "code");
  assert.equal(code.map((p) => [p.question, p.students]), [["softmax", ["s3", "s5"]]], "only the planted pair among the code answers");
  // the same tokens once names, comments and layout are gone; what three or more of the five share counts on neither side
  assert.is(code[0]!.score, 1);
  const all = await writeReport({ from: reportBatchDir(), out: mkdtempSync(join(tmpdir(), "report-all-")), solutionsDir: SOLUTIONS, minSimilarity: 0, shownPairs: 25 });
  const others = all.report.similarity.filter((p) => p.kind === "code" && p.students.join() !== "s3,s5");
  assert.ok(others.every((p) => p.score < code[0]!.score / 3), `independent pairs: ${others.map((p) => p.score).join(", ")}`);
  const text = report.similarity.filter((p) => p.kind === "text");
  assert.equal(text.map((p) => [p.question, p.students]), [["nn-definition", ["s1", "s3"]]]);
  // the untouched cells (only the release's text), the one-liners and the template free-text answers are not compared
  const matrix = report.similarityQuestions.find((q) => q.question === "similarity-matrix")!;
  assert.equal([matrix.compared, matrix.pairs], [0, 0]);
  const softmax = report.similarityQuestions.find((q) => q.question === "softmax")!;
  assert.equal([softmax.compared, softmax.tooShort], [5, 2]);
  assert.equal(report.reportNotes, []);
});

test("the page: inline SVG charts, the side-by-side view with the shared stretches marked, nothing loaded from outside", () => {
  assert.ok((html.match(/<svg/g) ?? []).length >= 6, "charts drawn");
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.not.match(html, /<script|<link|<img|\bsrc=|url\(/i);
  const pair = html.slice(html.indexOf('data-question="softmax" data-rank="1"'));
  assert.match(pair, /^[^\n]*s3 and s5/);
  assert.match(pair, /<mark>[^<]*normalise/);
  // a comment the copy added is not part of what the two share
  assert.not.match(pair, /<mark>[^<]*numerical stability/);
});

test("CLI: writes both files and says what it found; documents of an older grader are compared where they can be", () => {
  const docs = reportBatch().map((d) => {
    if (d.student === "s1") delete d.answerCells;
    return d;
  });
  const out = mkdtempSync(join(tmpdir(), "report-cli-"));
  const run = spawnSync(process.execPath, [CLI, "report", "--from", reportBatchDir(docs), "--out", out, "--solutions", SOLUTIONS], { cwd: ROOT, encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /index\.html \(\d+ KB\) and .*report\.json: 8 submissions of llm-architecture/);
  // the code pair s3 / s5 and the free-text pair s1 / s3 (s1's text is compared though its code is not)
  assert.match(run.stdout, /2 similar pairs from 0\.5, 1 test flagged, 5 free-text answers waiting for a person/);
  assert.match(run.stdout, /note: 1 of 8 documents come from an older grader/);
  assert.match(run.stderr, /comparing the answers/);
  const written: Report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
  assert.equal(written.similarity.filter((p) => p.kind === "code").map((p) => p.students), [["s3", "s5"]]);
});

test("CLI: a folder without score documents, and one of two assignments, are refused with what to do", () => {
  const none = spawnSync(process.execPath, [CLI, "report", "--from", mkdtempSync(join(tmpdir(), "empty-")), "--out", mkdtempSync(join(tmpdir(), "o-"))], { cwd: ROOT, encoding: "utf8" });
  assert.is(none.status, 2);
  assert.match(none.stderr, /give the --out folder of `courseware grade`/);
  const mixed = reportBatch();
  mixed[0]!.assignment = "inside-the-transformer";
  const two = spawnSync(process.execPath, [CLI, "report", "--from", reportBatchDir(mixed), "--out", mkdtempSync(join(tmpdir(), "o-"))], { cwd: ROOT, encoding: "utf8" });
  assert.is(two.status, 2);
  assert.match(two.stderr, /several assignments \(inside-the-transformer, llm-architecture\); a report covers one/);
  const bad = spawnSync(process.execPath, [CLI, "report", "--from", ".", "--out", ".", "--min-similarity", "2"], { cwd: ROOT, encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /expected a number from 0 to 1/);
});

test.run();
