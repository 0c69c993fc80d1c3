// A small made-up batch for the report's tests, with figures worked out by hand in report.test.ts: five graded
// students s1..s5 (auto-graded scores 4, 3, 2, 1, 0 out of 6), one timeout, one error, one invalid file; s5's softmax
// cell is a planted copy of s3's (names changed, comments added, lines laid out anew), s3's free-text answer is s1's
// with other capitals and punctuation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ScoreDocument, batchStaffNotes } from "../src/grade/score-document.js";
import type { TestResult } from "../src/grade/run-tests.js";
import { doc, gradesDir } from "./grades-fixture.js";
import { ROOT } from "./helpers.js";

const answer = (name: string) => readFileSync(join(ROOT, "grader/test/fixtures/report", `softmax-${name}.txt`), "utf8");
const TAIL = "console.log(similarityMatrix);\n";

function t(name: string, passed: boolean, maxPoints: number, hidden: boolean, message = ""): TestResult {
  return { name, passed, points: passed ? maxPoints : 0, maxPoints, hidden, message };
}

const DIAGONAL = (i: number, v: number) => `entry (${i}, ${i}) is ${v}: a vector's cosine similarity with itself is 1`;
const UNDEFINED = "`similarityMatrix` is not defined in the notebook.";

/** [T1, T2, T3, T4] passed, the message of T4, the softmax cell, the free-text answer, duration, worker, manual score. */
const GRADED: Array<[string, boolean[], string, string, string, number, string, number | null]> = [
  ["s1", [true, true, true, false], DIAGONAL(0, 0.92), answer("a"), "A neural network is layers of neurons: each one computes a weighted sum of its inputs and applies an activation function such as ReLU to it.", 1000, "w1", 1],
  ["s2", [true, true, false, false], DIAGONAL(1, 0.5), answer("b"), "Functions stacked in layers, whose parameters gradient descent fits to examples of inputs and the outputs wanted.", 2000, "w1", 0.5],
  ["s3", [true, false, true, false], DIAGONAL(0, 0.92), answer("c"), "a NEURAL network is layers of neurons -- each one computes a weighted sum of its inputs, and applies an activation function (such as relu) to it!", 3000, "w1", null],
  ["s4", [true, false, false, false], UNDEFINED, answer("d"), "Many simple units connected together; training nudges the connection strengths until the network's predictions match the data.", 4000, "w2", null],
  ["s5", [false, false, false, false], UNDEFINED, answer("copy-of-c"), "It is a model inspired by the brain that learns patterns, like the ones we saw in the playground with two-dimensional points.", 5000, "w2", null],
];

export const BATCH_NOTES = ["Sandbox layers: node-permission-model, bubblewrap."];

function gradedDoc([student, passed, message, softmax, text, ms, worker, manual]: (typeof GRADED)[number]): ScoreDocument {
  const [a, b, c, d] = passed as [boolean, boolean, boolean, boolean];
  const softmaxTests = [t("p is a Tensor", a, 1, false), t("rows sum to 1", b, 2, true, b ? "" : "row 0 sums to 1.3")];
  const matrixTests = [t("similarityMatrix is 3 x 3", c, 1, false), t("diagonal is one", d, 2, true, message)];
  const score = (xs: TestResult[]) => xs.reduce((s, x) => s + x.points, 0);
  return doc(student, {
    score: score(softmaxTests) + score(matrixTests) + (manual ?? 0),
    maxScore: 7,
    questions: [
      { id: "softmax", score: score(softmaxTests), maxScore: 3, tests: softmaxTests },
      { id: "similarity-matrix", score: score(matrixTests), maxScore: 3, tests: matrixTests },
    ],
    manual: [{ id: "nn-definition", maxScore: 1, answer: text, score: manual }],
    needsManualGrading: manual === null ? ["nn-definition"] : [],
    answerCells: [
      { id: "softmax", source: softmax },
      { id: "similarity-matrix", source: `// YOUR CODE HERE\nthrow new Error("Not implemented");\n${TAIL}` },
    ],
    staffNotes: [...BATCH_NOTES],
    grader: { version: "0.1.0", sandbox: ["node-permission-model", "bubblewrap"], worker },
    timing: { gradedAt: "2026-01-01T00:00:00.000Z", durationMs: ms },
  });
}

const unfinished = (student: string, status: "timeout" | "error", message: string, ms: number, source: string): ScoreDocument =>
  doc(student, {
    status,
    score: 0,
    maxScore: 7,
    questions: [
      { id: "softmax", score: 0, maxScore: 3, tests: [] },
      { id: "similarity-matrix", score: 0, maxScore: 3, tests: [] },
    ],
    manual: [{ id: "nn-definition", maxScore: 1, answer: "YOUR ANSWER HERE", score: null }],
    needsManualGrading: ["nn-definition"],
    answerCells: [{ id: "softmax", source }, { id: "similarity-matrix", source: TAIL }],
    messages: [message],
    staffNotes: [...BATCH_NOTES],
    timing: { gradedAt: "2026-01-01T00:00:00.000Z", durationMs: ms },
  });

export function reportBatch(): ScoreDocument[] {
  return [
    ...GRADED.map(gradedDoc),
    unfinished("s6", "timeout", "Code cell 33 (\"softmax\") ran past the cell time limit of 30 s.", 60000, "while (true) {}\nconsole.log(p.dims);\n"),
    unfinished("s7", "error", "The notebook stopped: process.exit(1) was called in code cell 33 (\"softmax\").", 500, "process.exit(1);\nconsole.log(p.dims);\n"),
    doc("s8", { status: "invalid", score: 0, maxScore: 7, questions: [], manual: [], messages: ["The submission s8.ipynb is not valid JSON: Unexpected token"], timing: { gradedAt: "2026-01-01T00:00:00.000Z", durationMs: 5 } }),
  ];
}

/** The batch in a grades folder, with a summary.json whose staff notes are the batch's. */
export function reportBatchDir(docs: ScoreDocument[] = reportBatch()): string {
  return gradesDir(docs, batchStaffNotes([], docs));
}
