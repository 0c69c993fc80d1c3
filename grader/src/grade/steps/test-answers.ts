// Step 5, test: every question's test cells run in the grader (run-tests.ts) on the handed-over answers and the
// reference values, and give the question its points.
import type { Assignment } from "../../assignment/load-assignment.js";
import type { Answers } from "../answers.js";
import { runQuestionTests } from "../run-tests.js";
import { type QuestionScore, sumScores } from "../score-document.js";

export async function testAnswers(assignment: Assignment, answers: Answers, reference: unknown): Promise<QuestionScore[]> {
  const questions: QuestionScore[] = [];
  for (const q of assignment.questions) {
    const tests = await runQuestionTests(q, { answers, reference });
    questions.push({ id: q.id, score: sumScores(tests.map((t) => ({ score: t.points }))), maxScore: q.maxScore, tests });
  }
  return questions;
}
