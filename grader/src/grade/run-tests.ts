// Runs one question's test cells with uvu, in the grader process, against values taken from a submission.
import type { AutoQuestion, TestCell } from "../assignment/load-assignment.js";
import type { Answers } from "./answers.js";
import { CHECK_RUNNER } from "@courseware/lib";
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

interface UvuSuite {
  (name: string, handler: (state: TestState) => unknown): void;
  run(): void;
}
interface Uvu {
  suite(name: string, state: TestState): UvuSuite;
}

let uvu: Promise<Uvu> | null = null;
/**
 * A private instance of uvu, loaded in its deferred mode, so the grader's suites never start on their own and never
 * mix with the suites of a process that embeds the grader (its own test files, say).
 */
function loadUvu(): Promise<Uvu> {
  return (uvu ??= (async () => {
    const g = globalThis as { UVU_DEFER?: number };
    const before = g.UVU_DEFER;
    g.UVU_DEFER = 1;
    try {
      return (await import(`${import.meta.resolve("uvu")}?courseware-grader`)) as Uvu;
    } finally {
      if (before === undefined) delete g.UVU_DEFER;
      else g.UVU_DEFER = before;
    }
  })());
}

type Queue = Array<Array<null | (() => Promise<unknown>)>>;

/** uvu prints progress dots to stdout; the grader's stdout belongs to its own report. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

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
async function withRunner(cell: TestCell, bindings: unknown[], collect: (values: Record<string, unknown>, define: Define) => void): Promise<void> {
  const g = globalThis as Record<symbol, unknown>;
  let calls = 0;
  const runner: Runner = async (_question, values, define) => {
    calls++;
    collect(values, define);
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
  await withRunner(cell, [...cell.answers.map((): unknown => undefined), {}], (_values, define) => define((name) => void names.push(name)));
  if (names.length === 0) throw new Error(`test cell "${cell.gradeId}" registers no tests; call test("name", (values) => { ... }) inside check().`);
  return names;
}

async function runCell(cell: TestCell, questionId: string, state: TestState): Promise<TestResult[]> {
  const { suite } = await loadUvu();
  const tests = suite(questionId, state);
  const results: TestResult[] = [];
  const bindings = [...cell.answers.map((name) => state.answers.value(name)), state.reference];
  await withRunner(cell, bindings, (values, define) =>
    define((name, handler) => {
      tests(name, async () => {
        try {
          // a value the notebook did not set fails every test that reads it, with the reason
          for (const [key, value] of Object.entries(values)) if (value === undefined) state.answers.get(key);
          await handler(values);
          results.push({ name, passed: true, points: 0, maxPoints: 0, hidden: cell.hidden, message: "" });
        } catch (e) {
          // Only the message: stacks and assertion details could show test code or expected values.
          const message = e instanceof Error ? e.message : String(e);
          results.push({ name, passed: false, points: 0, maxPoints: 0, hidden: cell.hidden, message });
          throw e;
        }
      });
    }),
  );
  // run() only queues the suite in uvu's global queue: take it from a queue of our own and put theirs back
  const g = globalThis as { UVU_QUEUE?: Queue; UVU_INDEX?: number };
  const saved = { queue: g.UVU_QUEUE, index: g.UVU_INDEX };
  g.UVU_QUEUE = [[null]];
  g.UVU_INDEX = 0;
  let runner: unknown;
  try {
    tests.run();
    runner = g.UVU_QUEUE[0]?.[1];
  } finally {
    g.UVU_QUEUE = saved.queue;
    g.UVU_INDEX = saved.index;
  }
  if (typeof runner === "function") await quietly(runner as () => Promise<unknown>);
  const share = results.length ? cell.points / results.length : 0;
  return results.map((r) => ({ ...r, maxPoints: share, points: r.passed ? share : 0 }));
}

/** Test cells run one at a time across the whole batch: uvu keeps its queue in a global. */
export function runQuestionTests(question: AutoQuestion, state: TestState): Promise<TestResult[]> {
  const next = serial.then(async () => {
    const all: TestResult[] = [];
    for (const cell of question.tests) all.push(...(await runCell(cell, question.id, state)));
    return all;
  });
  serial = next.catch(() => undefined);
  return next;
}
