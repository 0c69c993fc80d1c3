// Questions and their tests over the graded documents: how each question's points are spread, and for each test
// the classical item statistics (difficulty, discrimination) a TA uses to spot a broken test or a misleading
// instruction, with the failure messages students got most.
import type { ScoreDocument } from "../grade/score-document.js";
import { commonMessages } from "./message-counts.js";
import type { ManualStatus, QuestionFigures, TestFigures } from "./report-data.js";
import { mean, pearson, round } from "./stats.js";

/** A test that at most this share of the class passes is flagged. */
export const ALMOST_NOBODY = 0.1;
/** Below this many graded documents the statistics say too little to flag a test on them. */
export const MIN_FOR_FLAGS = 5;

const testKey = (question: string, test: string) => `${question}\u0000${test}`;

export function questionFigures(docs: readonly ScoreDocument[]): QuestionFigures[] {
  const graded = docs.filter((d) => d.status === "graded");
  // each document's auto-graded points, the sum its tests' points make
  const totals = graded.map((d) => d.questions.reduce((a, q) => a + q.tests.reduce((b, t) => b + t.points, 0), 0));

  const questions = new Map<string, { maxScore: number; tests: Map<string, { hidden: boolean; maxPoints: number }> }>();
  for (const d of graded) {
    for (const q of d.questions) {
      const entry = questions.get(q.id) ?? { maxScore: q.maxScore, tests: new Map() };
      entry.maxScore = Math.max(entry.maxScore, q.maxScore);
      for (const t of q.tests) if (!entry.tests.has(t.name)) entry.tests.set(t.name, { hidden: t.hidden, maxPoints: t.maxPoints });
      questions.set(q.id, entry);
    }
  }
  const results = graded.map((d) => new Map(d.questions.flatMap((q) => q.tests.map((t) => [testKey(q.id, t.name), t] as const))));

  return [...questions].map(([id, q]): QuestionFigures => {
    const scores = graded.flatMap((d) => d.questions.filter((x) => x.id === id).map((x) => x.score));
    const counts = new Map<number, number>();
    for (const s of scores) counts.set(round(s, 6), (counts.get(round(s, 6)) ?? 0) + 1);
    const tests = [...q.tests].map(([name, meta]): TestFigures => {
      const taken: Array<{ points: number; rest: number; passed: boolean; message: string }> = [];
      results.forEach((byTest, i) => {
        const t = byTest.get(testKey(id, name));
        if (t) taken.push({ points: t.points, rest: totals[i]! - t.points, passed: t.passed, message: t.message });
      });
      const passed = taken.filter((t) => t.passed).length;
      const passShare = taken.length ? passed / taken.length : 0;
      const discrimination = pearson(taken.map((t) => t.points), taken.map((t) => t.rest));
      const flags: string[] = [];
      if (taken.length >= MIN_FOR_FLAGS && passShare <= ALMOST_NOBODY) flags.push(`almost nobody passes it (${passed} of ${taken.length}): check the test and the instructions`);
      if (taken.length >= MIN_FOR_FLAGS && discrimination !== null && discrimination < 0) flags.push("students who do well elsewhere fail it more often than others (negative discrimination)");
      return {
        name,
        hidden: meta.hidden,
        maxPoints: meta.maxPoints,
        taken: taken.length,
        passed,
        passShare: round(passShare),
        difficulty: round(meta.maxPoints > 0 ? mean(taken.map((t) => t.points / meta.maxPoints)) ?? 0 : passShare),
        discrimination: discrimination === null ? null : round(discrimination),
        failures: commonMessages(taken.filter((t) => !t.passed && t.message !== "").map((t) => [t.message])),
        flags,
      };
    });
    const m = mean(scores);
    return {
      id,
      maxScore: q.maxScore,
      graded: scores.length,
      mean: m === null ? null : round(m),
      distribution: [...counts].sort(([a], [b]) => a - b).map(([score, count]) => ({ score, count })),
      tests,
    };
  });
}

/** The free-text answers by question: how many are graded, how many still need a person. */
export function manualStatus(docs: readonly ScoreDocument[]): ManualStatus[] {
  const byId = new Map<string, { maxScore: number; scores: Array<number | null> }>();
  for (const d of docs) {
    for (const m of d.manual) {
      const entry = byId.get(m.id) ?? { maxScore: m.maxScore, scores: [] };
      entry.scores.push(m.score);
      byId.set(m.id, entry);
    }
  }
  return [...byId].map(([id, { maxScore, scores }]) => {
    const given = scores.filter((s): s is number => s !== null);
    const m = mean(given);
    return { id, maxScore, answers: scores.length, graded: given.length, pending: scores.length - given.length, mean: m === null ? null : round(m) };
  });
}
