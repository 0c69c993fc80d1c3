#!/usr/bin/env node
// Grades every assignment's example submissions: examples/<assignment>/ as that assignment, into
// grades/<assignment>/ (students/<student>.json and summary.json), one `courseware grade` batch per assignment,
// since a batch grades one assignment. A folder of examples/ that names no assignment in solutions/ is an error.
// Usage: npm run grade:examples   (builds first), or node scripts/grade-examples.mjs [--out grades] [--jobs N]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { out: { type: "string", default: "grades" }, jobs: { type: "string" } } });

const folders = (dir) => readdirSync(join(root, dir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const assignments = folders("solutions");
const examples = folders("examples");
const unknown = examples.filter((name) => !assignments.includes(name));
if (unknown.length) {
  console.error(`examples/ has folders for no assignment in solutions/ (${assignments.join(", ")}): ${unknown.join(", ")}`);
  process.exit(2);
}
if (examples.length === 0) {
  console.error("examples/ has no assignment folders: run node scripts/make-example-submissions.mjs");
  process.exit(2);
}

let status = 0;
for (const assignment of examples) {
  const out = join(values.out, assignment);
  console.log(`\n# examples/${assignment} -> ${out}/`);
  const args = [join(root, "grader/bin/courseware.js"), "grade", join("examples", assignment), "--assignment", assignment, "--out", out];
  if (values.jobs !== undefined) args.push("--jobs", values.jobs);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`grading examples/${assignment} failed (exit ${r.status ?? r.signal})`);
    status = status || (r.status ?? 1);
  }
}
process.exitCode = status;
