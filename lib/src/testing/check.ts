// Self-checks in a notebook: a test cell calls check(question, values, tests). In the student's kernel the tests
// run at once on the kernel's values and a short report is shown. The grader runs the same cell in its own
// process with the values taken from the submission, through the runner it installs (see CHECK_RUNNER).
import { Figure, emit } from "../display/figure.js";
import { escapeHtml } from "../display/escape.js";

export type CheckHandler<V> = (values: V) => unknown;
export type DefineChecks<V> = (test: (name: string, handler: CheckHandler<V>) => void) => void;

export interface CheckResult {
  name: string;
  passed: boolean;
  /** Why it failed ("" when it passed). */
  message: string;
}

export interface CheckReport {
  question: string;
  passed: number;
  failed: number;
  results: CheckResult[];
}

/** Where the grader installs its own runner while it runs a test cell. */
export const CHECK_RUNNER = Symbol.for("courseware.check-runner");
type Runner = (question: string, values: Record<string, unknown>, define: DefineChecks<Record<string, unknown>>) => Promise<unknown>;

/** The message for a value the exercise has not set yet. */
export function missingMessage(name: string): string {
  return `\`${name}\` has no value yet: complete the exercise cell that sets it and run it, then run this cell again.`;
}

/**
 * Runs the checks of one exercise on the values given (`{ p: p, logits: logits }`) and shows which pass. A
 * failing check never throws: the report says what to fix.
 */
function validate(question: unknown, values: unknown, define: unknown): void {
  if (typeof question !== "string" || typeof define !== "function" || typeof values !== "object" || values === null) {
    throw new TypeError('check(question, values, tests): e.g. check("softmax", { p: p }, (test) => { test("...", ({ p }) => { ... }); })');
  }
}

export async function check<V extends Record<string, unknown>>(question: string, values: V, define: DefineChecks<V>): Promise<void> {
  validate(question, values, define);
  const runner = (globalThis as Record<symbol, unknown>)[CHECK_RUNNER] as Runner | undefined;
  if (runner) {
    await runner(question, values, define as DefineChecks<Record<string, unknown>>);
    return;
  }
  emit(reportFigure(await runChecks(question, values, define)));
}

/** How a run of checks words a value that is not set (default: missingMessage, for the notebook). */
export interface RunChecksOptions {
  missing?: (name: string) => string;
}

/**
 * The checks' results, without showing them: the one test loop, used by `check` in a notebook and by the grader
 * (which words missing values its own way). A check that throws fails with the error's message only.
 */
export async function runChecks<V extends Record<string, unknown>>(question: string, values: V, define: DefineChecks<V>, options: RunChecksOptions = {}): Promise<CheckReport> {
  validate(question, values, define);
  const say = options.missing ?? missingMessage;
  const tests: Array<[string, CheckHandler<V>]> = [];
  define((name, handler) => void tests.push([name, handler]));
  const missing = Object.keys(values).filter((k) => values[k] === undefined);
  const results: CheckResult[] = [];
  for (const [name, handler] of tests) {
    if (missing.length) {
      results.push({ name, passed: false, message: say(missing[0]!) });
      continue;
    }
    try {
      await handler(values);
      results.push({ name, passed: true, message: "" });
    } catch (e) {
      results.push({ name, passed: false, message: e instanceof Error ? e.message : String(e) });
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return { question, passed, failed: results.length - passed, results };
}

export function reportFigure({ question, passed, results }: CheckReport): Figure {
  const all = passed === results.length;
  const head = `${question}: ${passed} of ${results.length} checks passed${all ? "" : " (these are the public checks; the grader also runs hidden ones)"}`;
  const text = [head, ...results.map((r) => `  ${r.passed ? "✓" : "✗"} ${r.name}${r.passed ? "" : `\n      ${r.message}`}`)].join("\n");
  const items = results
    .map((r) => `<li style="color:${r.passed ? "#1a7f37" : "#b42318"}">${r.passed ? "✓" : "✗"} ${escapeHtml(r.name)}${r.passed ? "" : `<br><span style="color:#444">${escapeHtml(r.message)}</span>`}</li>`)
    .join("");
  const html = `<div style="font-family:sans-serif;font-size:13px"><b>${escapeHtml(head)}</b><ul style="list-style:none;padding-left:8px;margin:4px 0">${items}</ul></div>`;
  return new Figure({ "text/plain": text, "text/html": html });
}
