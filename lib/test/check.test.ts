import { test } from "uvu";
import * as assert from "uvu/assert";
import { CHECK_RUNNER, check, runChecks } from "../src/index.js";

const captured = async (fn: () => Promise<unknown>): Promise<string> => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return printed.join("\n");
};

test("runChecks runs every check and reports passes and failure messages", async () => {
  const report = await runChecks("sum", { x: 3 }, (t) => {
    t("x is a number", ({ x }) => assert.type(x, "number"));
    t("x is 4", ({ x }) => assert.is(x, 4, "x should be 4"));
    t("an async check", async ({ x }) => {
      await new Promise((r) => setTimeout(r, 1));
      if (x !== 3) throw new Error("x should be 3");
    });
  });
  assert.equal(report.results.map((r) => [r.name, r.passed]), [["x is a number", true], ["x is 4", false], ["an async check", true]]);
  assert.is(report.results[1]!.message, "x should be 4");
  assert.is(report.passed, 2);
  assert.is(report.failed, 1);
});

test("a value that is not set yet fails every check with what to do, without running the handlers", async () => {
  let ran = false;
  const report = await runChecks("softmax", { p: undefined }, (t) => {
    t("p is a probability", () => void (ran = true));
  });
  assert.not.ok(ran);
  assert.match(report.results[0]!.message, /`p` has no value yet: complete the exercise cell/);
});

test("check() outside a notebook prints the report and never throws for a failing check", async () => {
  const text = await captured(() => check("sum", { x: 3 }, (t) => t("x is 4", ({ x }) => assert.is(x, 4, "x should be 4"))));
  assert.match(text, /^sum: 0 of 1 checks passed/);
  assert.match(text, /✗ x is 4\n\s+x should be 4/);
  try {
    await check("sum", null as never, () => undefined);
    assert.unreachable("bad arguments should be refused");
  } catch (e) {
    assert.match((e as Error).message, /check\(question, values, tests\)/);
  }
});

test("with a runner installed (the grader's), check() hands the tests over instead of running them", async () => {
  const g = globalThis as Record<symbol, unknown>;
  const seen: string[] = [];
  g[CHECK_RUNNER] = async (question: string, values: Record<string, unknown>, define: (t: (n: string) => void) => void) => {
    define((name) => void seen.push(`${question}/${name}/${Object.keys(values).join(",")}`));
  };
  try {
    const text = await captured(() => check("q", { a: 1 }, (t) => t("a check", () => assert.unreachable("must not run here"))));
    assert.is(text, "");
  } finally {
    delete g[CHECK_RUNNER];
  }
  assert.equal(seen, ["q/a check/a"]);
});

test("runChecks words a missing value the caller's way (the grader's reasons), and runs no check that reads it", async () => {
  let ran = false;
  const report = await runChecks("q", { p: undefined as unknown }, (t) => t("p is set", () => void (ran = true)), { missing: (name) => `\`${name}\` could not be read: the notebook timed out.` });
  assert.not.ok(ran);
  assert.equal(report.results, [{ name: "p is set", passed: false, message: "`p` could not be read: the notebook timed out." }]);
});

test.run();
