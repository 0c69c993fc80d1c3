import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers.js";
import { runCells } from "./sandbox-run.js";

const run = (cells: string[], names: string[] = [], limits = {}) => runCells(join(ROOT, ".courseware-work-test-"), cells, names, limits);

test("cells run with tslab's semantics and top-level values are handed over", async () => {
  const r = await run(["const x: number = 40;", "let y = [x + 2, 0.5];", 'throw new Error("Not implemented");', "let z = y.length;"], ["y", "z", "missing"]);
  assert.is(r.outcome, "completed");
  assert.equal(r.cells.map((c) => c.ok), [true, true, false, true]);
  assert.equal(r.values, { y: { kind: "json", value: [42, 0.5] }, z: { kind: "json", value: 2 }, missing: { missing: true } });
});

test("a notebook cannot read the solutions or write outside its own folder", async () => {
  const r = await run([
    `import * as fs from "fs";\nfs.readFileSync(${JSON.stringify(join(ROOT, "solutions/llm-architecture/llm-architecture.ipynb"))}, "utf8");`,
    `import * as fs2 from "fs";\nfs2.writeFileSync(${JSON.stringify(join(ROOT, "out.txt"))}, "x");`,
  ]);
  assert.equal(r.cells.map((c) => c.ok), [false, false]);
  for (const c of r.cells) assert.match(c.outputs.map((o) => o.error ?? "").join(""), /ERR_ACCESS_DENIED|Access to this API has been restricted/);
});

test("an endless loop is interrupted at the cell limit and the next cells still run", async () => {
  const r = await run(["while (true) {}", "let after = 1;"], ["after"], { cellTimeoutMs: 1500 });
  assert.is(r.outcome, "completed");
  assert.is(r.cells[0]!.timedOut, true);
  assert.equal(r.values, { after: { kind: "json", value: 1 } });
});

test("process.exit in a cell ends the run as crashed, with the cell named", async () => {
  const r = await run(["let a = 1;", "process.exit(0);", "let b = 2;"], ["a"]);
  assert.is(r.outcome, "crashed");
  assert.match(r.detail ?? "", /code cell 2/);
  assert.is(r.values, null);
});

test.run();
