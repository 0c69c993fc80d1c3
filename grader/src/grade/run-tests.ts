// Runs one question's test cells in the grader process, against values taken from a submission, with lib's one test
// loop (runChecks, the loop check() uses in a notebook): each test() is one scored test.
import type { AutoQuestion, TestCell } from "../assignment/load-assignment.js";
import type { Answers } from "./answers.js";
import { CHECK_RUNNER, runChecks } from "@courseware/lib";
import { compileTrustedCell } from "./compile-cell.js";

export interface TestResult {
  name: string;
  passed: boolean;
  points: number;
  maxPoints: number;
  hidden: boolean;
  message: string;
}

export interface TestState {
  answers: Answers;
  reference: unknown;
}

type CheckHandler = (values: Record<string, unknown>) => unknown;
type Define = (test: (name: string, handler: CheckHandler) => void) => void;
type Runner = (question: string, values: Record<string, unknown>, define: Define) => Promise<unknown>;

let serial: Promise<unknown> = Promise.resolve();

const compiled = new Map<string, (bindings: unknown[]) => Promise<unknown>>();
/** A test cell compiled once; its free names are the question's answers and `reference`. */
function compileTests(cell: TestCell): (bindings: unknown[]) => Promise<unknown> {
  const key = `${cell.answers.join(",")}\n${cell.source}`;
  let fn = compiled.get(key);
  if (!fn) {
    const run = compileTrustedCell(cell.source, `test cell "${cell.gradeId}"`, [...cell.answers, "reference"]);
    fn = (bindings) => run(...bindings);
    compiled.set(key, fn);
  }
  return fn;
}

/**
 * Runs a test cell with the grader's check() runner installed: the cell's `check(question, values, tests)` call
 * hands its tests to `collect` instead of running them in place.
 */
async function withRunner(cell: TestCell, bindings: unknown[], collect: (question: string, values: Record<string, unknown>, define: Define) => void): Promise<void> {
  const g = globalThis as Record<symbol, unknown>;
  let calls = 0;
  const runner: Runner = async (_question, values, define) => {
    calls++;
    collect(_question, values, define);
    return { question: _question, passed: 0, failed: 0, results: [] };
  };
  g[CHECK_RUNNER] = runner;
  try {
    await compileTests(cell)(bindings);
  } finally {
    delete g[CHECK_RUNNER];
  }
  if (calls === 0) throw new Error(`test cell "${cell.gradeId}" calls no check(); write check("question", { value }, (test) => { ... }).`);
}

/** Collects the test names of a cell without running them: checks an assignment's tests before grading starts. */
export async function listTests(cell: TestCell): Promise<string[]> {
  const names: string[] = [];
  await withRunner(cell, [...cell.answers.map((): unknown => undefined), {}], (_question, _values, define) => define((name) => void names.push(name)));
  if (names.length === 0) throw new Error(`test cell "${cell.gradeId}" registers no tests; call test("name", (values) => { ... }) inside check().`);
  return names;
}

async function runCell(cell: TestCell, state: TestState): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const bindings = [...cell.answers.map((name) => state.answers.value(name)), state.reference];
  const checks: Array<{ question: string; values: Record<string, unknown>; define: Define }> = [];
  await withRunner(cell, bindings, (question, values, define) => void checks.push({ question, values, define }));
  // lib's one test loop, as in the notebook; a value the notebook did not set fails every test that reads it, with
  // the reason the grader knows (not set, could not be read, the notebook timed out)
  const missing = (name: string) => {
    try {
      state.answers.get(name);
      return `\`${name}\` has no value.`;
    } catch (e) {
      return (e as Error).message;
    }
  };
  for (const c of checks) {
    const report = await runChecks(c.question, c.values, c.define, { missing });
    // only the message: stacks and assertion details could show test code or expected values
    for (const r of report.results) results.push({ name: r.name, passed: r.passed, points: 0, maxPoints: 0, hidden: cell.hidden, message: r.message });
  }
  const share = results.length ? cell.points / results.length : 0;
  return results.map((r) => ({ ...r, maxPoints: share, points: r.passed ? share : 0 }));
}

/** Test cells run one at a time across the whole batch: check() finds the grader's runner in a global. */
export function runQuestionTests(question: AutoQuestion, state: TestState): Promise<TestResult[]> {
  const next = serial.then(async () => {
    const all: TestResult[] = [];
    for (const cell of question.tests) all.push(...(await runCell(cell, state)));
    return all;
  });
  serial = next.catch(() => undefined);
  return next;
}
