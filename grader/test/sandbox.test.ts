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

test("charts are shown without being drawn (lib is told displays are discarded), their errors are the cell's, and onnxruntime gets one thread", async () => {
  const r = await run([
    'import { heatmap, show } from "@courseware/lib";\nimport { createRequire } from "module";',
    'await show(heatmap([[1, 2], [3, 4]], { title: "h" }));\nlet discards = createRequire(process.cwd() + "/x.js")("tslab/dist/jupyter.js").discardsDisplayData;',
    'await show(heatmap([[1, 2], [3]]));',
    'const fig = await heatmap([[1, 2]]);\nlet svg = fig.bundle["image/svg+xml"]!.startsWith("<svg");\nlet threads = process.env["COURSEWARE_ORT_THREADS"];',
  ], ["discards", "svg", "threads"]);
  assert.equal(r.cells.map((c) => c.ok), [true, true, false, true], JSON.stringify(r.cells));
  assert.ok(r.cells[1]!.outputs.some((o) => o.display));
  assert.match(r.cells[2]!.outputs.map((o) => o.error ?? "").join(""), /heatmap: /);
  assert.equal(r.values, { discards: { kind: "json", value: true }, svg: { kind: "json", value: true }, threads: { kind: "json", value: "1" } });
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
