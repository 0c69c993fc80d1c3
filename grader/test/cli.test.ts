import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });

test("assign --check passes on the committed release notebooks", () => {
  const r = run("assign", "--check");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /unchanged\s+assignments\/llm-architecture\/llm-architecture.ipynb/);
});

test("usage errors exit with 2 and say what is wrong", () => {
  const out = mkdtempSync(join(tmpdir(), "cli-"));
  const missing = run("grade", "no/such/folder", "--out", out);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /No such file or folder: no\/such\/folder/);
  const noOut = run("grade", "examples/llm-architecture");
  assert.is(noOut.status, 2);
  assert.match(noOut.stderr, /--out/);
  const badAssignment = run("grade", "examples/llm-architecture", "--out", out, "--assignment", "nope");
  assert.is(badAssignment.status, 2);
  assert.match(badAssignment.stderr, /Unknown assignment "nope"; .* has inside-the-transformer, llm-architecture\./);
  const badTimeout = run("grade", "examples/llm-architecture", "--out", out, "--timeout", "soon");
  assert.is(badTimeout.status, 2);
  assert.match(badTimeout.stderr, /positive number of seconds/);
  const badJobs = run("grade", "examples/llm-architecture", "--out", out, "--jobs", "0");
  assert.is(badJobs.status, 2);
  assert.match(badJobs.stderr, /whole number of at least 1/);
});

test.run();
