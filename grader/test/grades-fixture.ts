// Score documents built by hand for the manual-grading and feedback tests, written as `courseware grade` would.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { summarize } from "../src/grade/score-document.js";

/** Answers a TA sheet has to survive: line breaks, commas, quotes, a formula, markup. */
export const TRICKY = 'Attention, "roughly": a weighted sum,\nwhere the weights come from softmax(QK^T / sqrt(d)).\r\nSecond line, with ""two"" quotes.';
export const SCRIPT = '<script>alert("pwned")</script> & <b>bold</b>';

export function doc(student: string, overrides: Partial<ScoreDocument> = {}): ScoreDocument {
  return {
    schemaVersion: 1,
    assignment: "llm-architecture",
    student,
    status: "graded",
    score: 3.5,
    maxScore: 9,
    questions: [
      {
        id: "softmax",
        score: 3,
        maxScore: 3,
        tests: [
          { name: "p is a Tensor", passed: true, points: 1, maxPoints: 1, hidden: false, message: "" },
          { name: "rows sum to 1", passed: true, points: 2, maxPoints: 2, hidden: true, message: "" },
        ],
      },
      {
        id: "similarity-matrix",
        score: 0.5,
        maxScore: 3,
        tests: [
          { name: "similarityMatrix is 3 x 3", passed: true, points: 0.5, maxPoints: 0.5, hidden: false, message: "" },
          { name: "diagonal is one", passed: false, points: 0, maxPoints: 2.5, hidden: true, message: "entry (0, 0) is 0.92: a vector's similarity with itself is 1" },
        ],
      },
    ],
    manual: [
      { id: "nn-definition", maxScore: 1, answer: "Layers of neurons.", score: null },
      { id: "attention", maxScore: 2, answer: TRICKY, score: null },
    ],
    messages: [],
    submission: { file: `submissions/${student}.ipynb`, sha256: "0".repeat(64) },
    grader: { version: "0.1.0", sandbox: ["node-permission-model"] },
    timing: { gradedAt: "2026-01-01T00:00:00.000Z", durationMs: 10 },
    ...overrides,
  };
}

/** alice and bob (two free-text answers each, none graded) and carol (invalid: no answers), in a fresh grades folder; `staffNotes`: summary.json's. */
export function gradesDir(docs: ScoreDocument[] = [doc("alice"), doc("bob", { manual: [{ id: "nn-definition", maxScore: 1, answer: SCRIPT, score: null }, { id: "attention", maxScore: 2, answer: "=HYPERLINK(\"http://x\")", score: null }] }), doc("carol", { status: "invalid", score: 0, questions: [], manual: [], messages: ["not a notebook"] })], staffNotes: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "grades-"));
  mkdirSync(join(dir, "students"));
  for (const d of docs) writeFileSync(join(dir, "students", `${d.student}.json`), JSON.stringify(d, null, 2) + "\n");
  const summary = summarize("llm-architecture", docs.map((d) => ({ doc: d, file: `students/${d.student}.json` })), staffNotes);
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  return dir;
}

/** Every file of a grades folder with its bytes, to show that nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = readFileSync(join(d, e.name)).toString("base64");
    }
  };
  walk(dir, "");
  return out;
}

export const readDoc = (dir: string, student: string): ScoreDocument => JSON.parse(readFileSync(join(dir, "students", `${student}.json`), "utf8"));
