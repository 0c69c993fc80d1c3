import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertScoreDocument, assertSummaryDocument } from "../src/grade/schema.js";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { summarize } from "../src/grade/score-document.js";

function valid(): ScoreDocument {
  return {
    schemaVersion: 1,
    assignment: "llm-architecture",
    student: "alice",
    status: "graded",
    score: 2,
    maxScore: 5,
    questions: [{ id: "softmax", score: 2, maxScore: 2, tests: [{ name: "p is stochastic", passed: true, points: 2, maxPoints: 2, hidden: true, message: "" }] }],
    manual: [{ id: "nn-definition", maxScore: 1, answer: "A function", score: null }],
    messages: [],
    submission: { file: "alice.ipynb", sha256: "a".repeat(64) },
    grader: { version: "0.1.0", sandbox: ["node-permission-model"] },
    timing: { gradedAt: new Date(0).toISOString(), durationMs: 12 },
  };
}

test("a well-formed score document is accepted", () => {
  assertScoreDocument(valid());
});

const broken: Array<[string, (d: Record<string, unknown>) => void, RegExp]> = [
  ["a missing status", (d) => delete d["status"], /status/],
  ["an unknown status", (d) => (d["status"] = "passed"), /status/],
  ["a negative score", (d) => (d["score"] = -1), /score/],
  ["a test without its points", (d) => delete ((d["questions"] as ScoreDocument["questions"])[0]!.tests[0] as Partial<ScoreDocument["questions"][0]["tests"][0]>).points, /points/],
  ["an extra field", (d) => (d["grade"] = "A"), /additional/],
  ["a bad timestamp", (d) => ((d["timing"] as { gradedAt: string }).gradedAt = "yesterday"), /gradedAt/],
];
for (const [what, mutate, message] of broken) {
  test(`the schema rejects a score document with ${what}`, () => {
    const doc = valid() as unknown as Record<string, unknown>;
    mutate(doc);
    assert.throws(() => assertScoreDocument(doc), message);
  });
}

test("summaries count results by status and validate", () => {
  const a = valid();
  const b = { ...valid(), student: "bob", status: "invalid" as const, score: 0 };
  const s = summarize("llm-architecture", [{ doc: a, file: "students/alice.json" }, { doc: b, file: "students/bob.json" }]);
  assert.equal(s.byStatus, { graded: 1, invalid: 1, error: 0, timeout: 0 });
  assertSummaryDocument(s);
  assert.throws(() => assertSummaryDocument({ ...s, count: "2" }), /count/);
});

test.run();
