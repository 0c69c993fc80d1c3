// Runs one question's test cells with uvu, in the grader process, against values taken from a submission.
import type { AutoQuestion, TestCell } from "../assignment/load-assignment.js";
import type { Answers } from "./answers.js";
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
  reference: Record<string, unknown>;
}

type Handler = (state: TestState) => unknown;
type Register = (name: string, handler: Handler) => void;

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

const compiled = new Map<string, (register: Register) => Promise<void>>();
function compileTests(cell: TestCell): (register: Register) => Promise<void> {
  let fn = compiled.get(cell.source);
  if (!fn) {
    const run = compileTrustedCell(cell.source, `test cell "${cell.gradeId}"`, ["test"]);
    fn = (register) => run(register);
    compiled.set(cell.source, fn);
  }
  return fn;
}

/** Collects the test names of a cell without running them: checks an assignment's tests before grading starts. */
export async function listTests(cell: TestCell): Promise<string[]> {
  const names: string[] = [];
  await compileTests(cell)((name) => void names.push(name));
  if (names.length === 0) throw new Error(`test cell "${cell.gradeId}" registers no tests; call test("name", (state) => { ... }).`);
  return names;
}

async function runCell(cell: TestCell, questionId: string, state: TestState): Promise<TestResult[]> {
  const { suite } = await loadUvu();
  const tests = suite(questionId, state);
  const results: TestResult[] = [];
  await compileTests(cell)((name, handler) => {
    tests(name, async (s) => {
      try {
        await handler(s);
        results.push({ name, passed: true, points: 0, maxPoints: 0, hidden: cell.hidden, message: "" });
      } catch (e) {
        // Only the message: stacks and assertion details could show test code or expected values.
        const message = e instanceof Error ? e.message : String(e);
        results.push({ name, passed: false, points: 0, maxPoints: 0, hidden: cell.hidden, message });
        throw e;
      }
    });
  });
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
