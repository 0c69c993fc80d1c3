#!/usr/bin/env node
// Runs every compiled uvu suite (<workspace>/dist/test/**/*.test.js), one Node process per file so that
// native sessions and globals never leak between suites, and ends with the line CI reads: "N passed, N failed".
// Usage: node scripts/run-tests.mjs [substring filter...]
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const filters = process.argv.slice(2);

function findTests(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(findTests(full));
    else if (name.endsWith(".test.js")) out.push(full);
  }
  return out;
}

const files = ["lib", "grader"]
  .flatMap((ws) => findTests(join(root, ws, "dist", "test")))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));

function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, FORCE_COLOR: "0" } });
    let text = "";
    child.stdout.on("data", (b) => { text += b; process.stdout.write(b); });
    child.on("close", (code) => {
      // uvu prints "Total: N" and "Passed: N" at the end of each file.
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? NaN);
      if (Number.isNaN(total) || Number.isNaN(passed)) {
        // The file crashed before uvu could report: count it as one failure so it cannot go unnoticed.
        resolve({ passed: 0, failed: 1, crashed: true, code });
      } else if (total === 0) {
        // A suite that registered no tests (e.g. its test.run() never reached uvu) must not pass unnoticed.
        console.error(`${relative(root, file)} ran no tests`);
        resolve({ passed: 0, failed: 1, crashed: true, code });
      } else {
        resolve({ passed, failed: total - passed + (code !== 0 && total === passed ? 1 : 0), crashed: false, code });
      }
    });
  });
}

let passed = 0, failed = 0;
const crashed = [];
for (const file of files) {
  process.stdout.write(`\n# ${relative(root, file)}\n`);
  const r = await runFile(file);
  passed += r.passed;
  failed += r.failed;
  if (r.crashed || r.code !== 0) crashed.push(`${relative(root, file)} (exit ${r.code})`);
}
if (files.length === 0) {
  console.error("No test files found: run `npm run build` first.");
  failed += 1;
}
if (crashed.length) console.error(`\nFailing files:\n  ${crashed.join("\n  ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
