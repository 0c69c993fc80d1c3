#!/usr/bin/env node
// Benchmark of `courseware report` on a large synthetic batch of llm-architecture score documents.
// Usage: npm run build && node scripts/bench-report.mjs [--count 5000] [--runs 3] [--copies 40] [--keep]
// The documents look like a real class's: the assignment's questions and tests, passes that follow each student's
// ability, failure messages with varying numbers, 2% timeouts, 1% errors, 1% invalid files, four queue workers, and
// softmax / similarity-matrix answer cells written in six styles with random names, extra statements and comments,
// free-text answers from a pool of phrases. --copies students hand in a renamed, re-commented copy of another's
// cells (and half of them a copied free-text answer). Each run is the real CLI in its own process; the script
// prints wall time (median of --runs), peak memory, the sizes of index.html and report.json, and how many planted
// copies the report lists (and how many other pairs).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: opts } = parseArgs({ options: { count: { type: "string", default: "5000" }, runs: { type: "string", default: "3" }, copies: { type: "string", default: "40" }, keep: { type: "boolean" } } });
const COUNT = Number(opts.count);
const COPIES = Number(opts.copies);

// a seeded PRNG (mulberry32), so every run compares the same batch
let seed = 20261201;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const TESTS = {
  softmax: [["p is a Tensor with the dims of the logits", 0.5, false], ["every entry of p is a probability in [0, 1]", 0.5, false], ["each row of p sums to 1 (within 0.00001)", 2 / 3, true], ["p equals the softmax of the logits (within 0.00001)", 2 / 3, true], ["the argmax of p equals the argmax of the logits", 2 / 3, true]],
  "similarity-matrix": [["similarityMatrix is a 3 x 3 array of numbers", 0.5, false], ["it is symmetric with ones on the diagonal", 0.5, false], ["similarityMatrix matches the cosine similarities of 'dog', 'cat', 'car' (within 0.0001)", 2, true]],
};
const failure = () => pick([() => `entry (${Math.floor(rand() * 3)}, ${Math.floor(rand() * 3)}) is ${rand().toFixed(4)}, off by more than 0.0001`, () => `row ${Math.floor(rand() * 6)} sums to ${(1 + rand()).toFixed(5)}`, () => "`p` is not defined in the notebook.", () => `p has dims [${Math.ceil(rand() * 6)}], expected [1, 6, 512]`])();

const NAMES = ["x", "v", "row", "vals", "arr", "out", "res", "acc", "tmp", "m", "mx", "top", "total", "s", "sum", "denom", "e", "ex", "exps", "k", "i", "j", "n", "len", "size", "vocab", "data", "flat", "probs", "scores", "a", "b", "idx", "w", "z", "q", "cur", "buf", "nums", "norm"];
const names = () => {
  const pool = [...NAMES].sort(() => rand() - 0.5);
  return (i) => pool[i % pool.length] + (i >= pool.length ? i : "");
};
const WORDS = ["rows", "sum", "max", "check", "shape", "done", "probs", "debug", "value", "first", "last", "here"];
const int = () => Math.floor(rand() * 1000);
/** A student's own extra statements: which ones and their literals are theirs; the names come from `n`. */
const EXTRAS = [
  (l) => (n) => `console.log("${l.w1} ${l.w2}", ${n(30)});`,
  (l) => (n) => `const ${n(31)} = ${l.i1};`,
  (l) => (n) => `if (${n(32)} > ${l.i1}) console.log(${n(30)}[${l.i2 % 10}]);`,
  (l) => (n) => `let ${n(33)} = [${l.i1}, ${l.i2}, ${l.i3}];`,
  (l) => (n) => `for (let ${n(34)} = 0; ${n(34)} < ${l.i1 % 7}; ${n(34)}++) console.log(${n(34)}, "${l.w1}");`,
  (l) => (n) => `const ${n(35)} = "${l.w1}-${l.i2}";`,
  (l) => (n) => `${n(33)}.push(${l.i3} * ${n(31)} - ${l.i1});`,
];
const extras = () => Array.from({ length: 2 + Math.floor(rand() * 4) }, () => pick(EXTRAS)({ w1: pick(WORDS), w2: pick(WORDS), i1: int(), i2: int(), i3: int() }));
const SOFTMAX = [
  (n) => `const ${n(0)} = logits.dims.at(-1)!;\nconst ${n(1)} = logits.data as Float32Array;\nconst ${n(2)} = new Float32Array(${n(1)}.length);\nfor (let ${n(3)} = 0; ${n(3)} < ${n(1)}.length / ${n(0)}; ${n(3)}++) {\n  let ${n(4)} = -Infinity;\n  for (let ${n(5)} = 0; ${n(5)} < ${n(0)}; ${n(5)}++) ${n(4)} = Math.max(${n(4)}, ${n(1)}[${n(3)} * ${n(0)} + ${n(5)}]!);\n  let ${n(6)} = 0;\n  for (let ${n(5)} = 0; ${n(5)} < ${n(0)}; ${n(5)}++) ${n(6)} += (${n(2)}[${n(3)} * ${n(0)} + ${n(5)}] = Math.exp(${n(1)}[${n(3)} * ${n(0)} + ${n(5)}]! - ${n(4)}));\n  for (let ${n(5)} = 0; ${n(5)} < ${n(0)}; ${n(5)}++) ${n(2)}[${n(3)} * ${n(0)} + ${n(5)}] /= ${n(6)};\n}\np = new Tensor("float32", ${n(2)}, logits.dims);`,
  (n) => `const ${n(0)} = logits.tolist() as number[][][];\nconst ${n(1)} = ${n(0)}.map((${n(2)}) => ${n(2)}.map((${n(3)}) => {\n  const ${n(4)} = Math.max(...${n(3)});\n  const ${n(5)} = ${n(3)}.map((${n(6)}) => Math.exp(${n(6)} - ${n(4)}));\n  const ${n(7)} = ${n(5)}.reduce((${n(8)}, ${n(9)}) => ${n(8)} + ${n(9)}, 0);\n  return ${n(5)}.map((${n(6)}) => ${n(6)} / ${n(7)});\n}));\np = new Tensor("float32", Float32Array.from(${n(1)}.flat(2)), logits.dims);`,
  (n) => `function ${n(0)}(${n(1)}: number[]): number[] {\n  const ${n(2)} = Math.max(...${n(1)});\n  let ${n(3)} = 0;\n  const ${n(4)}: number[] = [];\n  for (const ${n(5)} of ${n(1)}) { const ${n(6)} = Math.exp(${n(5)} - ${n(2)}); ${n(4)}.push(${n(6)}); ${n(3)} += ${n(6)}; }\n  return ${n(4)}.map((${n(6)}) => ${n(6)} / ${n(3)});\n}\nconst ${n(7)} = logits.dims[logits.dims.length - 1]!;\nconst ${n(8)} = Array.from(logits.data as Float32Array);\nconst ${n(9)}: number[] = [];\nfor (let ${n(10)} = 0; ${n(10)} < ${n(8)}.length; ${n(10)} += ${n(7)}) ${n(9)}.push(...${n(0)}(${n(8)}.slice(${n(10)}, ${n(10)} + ${n(7)})));\np = new Tensor("float32", new Float32Array(${n(9)}), [...logits.dims]);`,
  (n) => `const ${n(0)} = logits.data as Float32Array;\nconst ${n(1)} = logits.dims.at(-1)!;\nconst ${n(2)} = new Float32Array(${n(0)}.length);\nlet ${n(3)} = 0;\nwhile (${n(3)} < ${n(0)}.length) {\n  const ${n(4)} = ${n(0)}.subarray(${n(3)}, ${n(3)} + ${n(1)});\n  let ${n(5)} = ${n(4)}[0]!;\n  for (const ${n(6)} of ${n(4)}) if (${n(6)} > ${n(5)}) ${n(5)} = ${n(6)};\n  let ${n(7)} = 0;\n  ${n(4)}.forEach((${n(6)}, ${n(8)}) => { ${n(2)}[${n(3)} + ${n(8)}] = Math.exp(${n(6)} - ${n(5)}); ${n(7)} += ${n(2)}[${n(3)} + ${n(8)}]!; });\n  for (let ${n(8)} = 0; ${n(8)} < ${n(1)}; ${n(8)}++) ${n(2)}[${n(3)} + ${n(8)}] = ${n(2)}[${n(3)} + ${n(8)}]! / ${n(7)};\n  ${n(3)} += ${n(1)};\n}\np = new Tensor("float32", ${n(2)}, logits.dims);`,
  (n) => `const ${n(0)} = logits.dims.at(-1)!;\nconst ${n(1)} = Array.from(logits.data as Float32Array, (${n(2)}) => Math.exp(${n(2)}));\nconst ${n(3)} = new Float32Array(${n(1)}.length);\nfor (let ${n(4)} = 0; ${n(4)} < ${n(1)}.length; ${n(4)} += ${n(0)}) {\n  let ${n(5)} = 0;\n  for (let ${n(6)} = ${n(4)}; ${n(6)} < ${n(4)} + ${n(0)}; ${n(6)}++) ${n(5)} += ${n(1)}[${n(6)}]!;\n  for (let ${n(6)} = ${n(4)}; ${n(6)} < ${n(4)} + ${n(0)}; ${n(6)}++) ${n(3)}[${n(6)}] = ${n(1)}[${n(6)}]! / ${n(5)};\n}\np = new Tensor("float32", ${n(3)}, logits.dims);`,
  (n) => `p = softmax(logits);`,
];
const MATRIX = [
  (n) => `similarityMatrix = [0, 1, 2].map((${n(0)}) => [0, 1, 2].map((${n(1)}) => cosineSimilarity(row(embeddings, ${n(0)}), row(embeddings, ${n(1)}))));`,
  (n) => `similarityMatrix = [];\nfor (let ${n(0)} = 0; ${n(0)} < 3; ${n(0)}++) {\n  const ${n(2)}: number[] = [];\n  for (let ${n(1)} = 0; ${n(1)} < 3; ${n(1)}++) ${n(2)}.push(cosineSimilarity(row(embeddings, ${n(0)}), row(embeddings, ${n(1)})));\n  similarityMatrix.push(${n(2)});\n}`,
  (n) => `const ${n(0)} = [0, 1, 2].map((${n(1)}) => row(embeddings, ${n(1)}));\nconst ${n(2)} = (${n(3)}: number[], ${n(4)}: number[]) => ${n(3)}.reduce((${n(5)}, ${n(6)}, ${n(7)}) => ${n(5)} + ${n(6)} * ${n(4)}[${n(7)}]!, 0);\nsimilarityMatrix = ${n(0)}.map((${n(3)}) => ${n(0)}.map((${n(4)}) => ${n(2)}(${n(3)}, ${n(4)}) / Math.sqrt(${n(2)}(${n(3)}, ${n(3)}) * ${n(2)}(${n(4)}, ${n(4)}))));`,
];
// free text: clauses with a choice of words in each slot, in any order, so that two students share a clause or a
// common phrase often but a long run of words rarely, as in a real class's answers
const SLOTS = [
  ["a neural network", "a network", "an MLP", "the model", "it"], ["is", "is basically", "is made of", "consists of", "is built from"],
  ["layers of neurons", "stacked layers", "many small units", "linear layers", "weighted sums"], ["each neuron", "every unit", "each node", "a neuron"],
  ["computes", "takes", "calculates", "outputs"], ["a weighted sum of its inputs", "a dot product with its weights", "a sum of inputs times weights"],
  ["followed by", "then applies", "and passes it through", "plus"], ["an activation function", "a nonlinearity", "ReLU", "a sigmoid", "tanh"],
  ["the weights are", "its parameters are", "the numbers are"], ["learned", "trained", "fitted", "tuned"], ["by gradient descent", "with backpropagation", "from examples", "on the training data"],
];
const CLAUSES = [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9, 10], [0, 4, 5], [2, 6, 7], [8, 9, 10, 6, 7]];
const FILLER = ["I think", "basically", "in short", "like in the playground", "for the 2-D points", "so", "and", "which means", "as we saw", "roughly"];
const clause = (c) => c.map((slot) => pick(SLOTS[slot])).join(" ");
const freeText = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => `${rand() < 0.5 ? `${pick(FILLER)} ` : ""}${clause(pick(CLAUSES))}`).join(rand() < 0.5 ? ". " : ", ") + ".";

const COMMENTS = ["// my solution", "// subtract the max first", "/* works now */", "// one row at a time", "// TODO tidy up"];
/** The two answer cells a recipe makes with the names `n`; a copy is the same recipe with other names and comments. */
function render(recipe, n, commented) {
  const lines = (xs) => xs.map((x) => (commented && rand() < 0.5 ? `${pick(COMMENTS)}\n${x}` : x)).join("\n");
  const [before, after] = [recipe.extras.slice(0, recipe.split), recipe.extras.slice(recipe.split)];
  return [
    { id: "softmax", source: lines([...before.map((e) => e(n)), SOFTMAX[recipe.softmax](n), ...after.map((e) => e(n)), "console.log(p.dims);"]) },
    { id: "similarity-matrix", source: lines([MATRIX[recipe.matrix](n), "console.log(similarityMatrix);"]) },
  ];
}
const recipe = () => {
  const e = extras();
  return { softmax: Math.floor(rand() * SOFTMAX.length), matrix: Math.floor(rand() * MATRIX.length), extras: e, split: Math.floor(rand() * (e.length + 1)) };
};

function documentFor(i, copyOf) {
  const student = `student${String(i).padStart(5, "0")}`;
  const worker = `worker-${1 + (i % 4)}`;
  const durationMs = Math.round(1500 * Math.exp(rand() * 1.2));
  const timing = { gradedAt: "2026-12-01T00:00:00.000Z", durationMs };
  const base = { schemaVersion: 1, assignment: "llm-architecture", student, maxScore: 7, submission: { file: `submissions/${student}.ipynb`, sha256: "0".repeat(64) }, staffNotes: ["Sandbox layers: node-permission-model, bubblewrap, rlimits."], grader: { version: "0.1.0", sandbox: ["node-permission-model", "bubblewrap", "rlimits"], worker }, timing };
  const r = rand();
  if (r < 0.01) return { ...base, status: "invalid", score: 0, questions: [], manual: [], messages: [`The submission ${student}.ipynb is not valid JSON: Unexpected end of JSON input`], grader: { ...base.grader, sandbox: [] } };
  const n = names();
  const own = copyOf ? copyOf.recipe : recipe();
  const answerCells = render(own, n, copyOf !== undefined);
  const answer = copyOf && rand() < 0.5 ? copyOf.manual[0].answer.toUpperCase() : freeText();
  const manualScore = rand() < 0.3 ? Math.round(rand() * 4) / 4 : null;
  const manual = [{ id: "nn-definition", maxScore: 1, answer, score: manualScore }];
  if (r < 0.04) {
    const status = r < 0.03 ? "timeout" : "error";
    const messages = [status === "timeout" ? `Code cell 33 ("softmax") ran past the cell time limit of 30 s.` : `The notebook stopped: process.exit(${Math.ceil(rand() * 3)}) was called in code cell 33 ("softmax").`];
    return { ...base, status, score: 0, questions: Object.entries(TESTS).map(([id]) => ({ id, score: 0, maxScore: 3, tests: [] })), manual, answerCells, needsManualGrading: manualScore === null ? ["nn-definition"] : [], messages, recipe: own };
  }
  const ability = rand();
  const questions = Object.entries(TESTS).map(([id, tests]) => {
    const results = tests.map(([name, maxPoints, hidden], k) => {
      const passed = rand() < ability * 1.3 - k * 0.12;
      return { name, passed, points: passed ? maxPoints : 0, maxPoints, hidden, message: passed ? "" : failure() };
    });
    return { id, score: Math.round(results.reduce((a, t) => a + t.points, 0) * 1e6) / 1e6, maxScore: 3, tests: results };
  });
  const score = Math.round((questions.reduce((a, q) => a + q.score, 0) + (manualScore ?? 0)) * 1e6) / 1e6;
  return { ...base, status: "graded", score, questions, manual, answerCells, needsManualGrading: manualScore === null ? ["nn-definition"] : [], messages: [], recipe: own };
}

const dir = mkdtempSync(join(tmpdir(), "bench-report-"));
mkdirSync(join(dir, "students"));
const docs = [];
const planted = new Set();
const plantedText = new Set();
for (let i = 0; i < COUNT; i++) {
  const copyFrom = i >= COUNT - COPIES ? docs[Math.floor(rand() * (COUNT - COPIES))] : undefined;
  const usable = copyFrom && copyFrom.recipe ? copyFrom : undefined;
  const { recipe: _, ...d } = documentFor(i, usable);
  if (usable && d.answerCells) planted.add([usable.student, d.student].sort().join(" "));
  if (usable && d.manual[0]?.answer === usable.manual[0]?.answer.toUpperCase()) plantedText.add([usable.student, d.student].sort().join(" "));
  docs.push({ ...d, recipe: _ });
  writeFileSync(join(dir, "students", `${d.student}.json`), JSON.stringify(d, null, 2) + "\n");
}
const gradesBytes = docs.reduce((a, d) => a + statSync(join(dir, "students", `${d.student}.json`)).size, 0);
console.log(`${COUNT} documents (${(gradesBytes / 1e6).toFixed(1)} MB) in ${dir}, ${planted.size} planted code copies (${plantedText.size} with the free text too)`);

const times = [];
let last;
for (let run = 0; run < Number(opts.runs); run++) {
  const out = join(dir, `report-${run}`);
  const started = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, join(root, "grader/bin/courseware.js"), "report", "--from", dir, "--out", out], { cwd: root, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`courseware report failed: ${r.stderr}`);
  const peakKb = Number(r.stderr.trim().split("\n").at(-1));
  times.push(ms);
  last = { out, peakKb, stdout: r.stdout };
  console.log(`  run ${run + 1}: ${(ms / 1000).toFixed(2)} s, peak memory ${(peakKb / 1024).toFixed(0)} MiB`);
}
const report = JSON.parse(readFileSync(join(last.out, "report.json"), "utf8"));
const code = report.similarity.filter((p) => p.kind === "code");
const found = code.filter((p) => planted.has([...p.students].sort().join(" "))).length;
const sorted = [...times].sort((a, b) => a - b);
console.log(last.stdout.trim());
console.log(`median ${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(2)} s of ${times.length} runs (min ${(sorted[0] / 1000).toFixed(2)}, max ${(sorted.at(-1) / 1000).toFixed(2)})`);
console.log(`index.html ${(statSync(join(last.out, "index.html")).size / 1024).toFixed(0)} KB, report.json ${(statSync(join(last.out, "report.json")).size / 1024).toFixed(0)} KB`);
const text = report.similarity.filter((p) => p.kind === "text");
const foundText = text.filter((p) => plantedText.has([...p.students].sort().join(" "))).length;
console.log(`code pairs listed: ${code.length}, planted copies among them: ${found} of ${planted.size}; free-text pairs listed: ${text.length}, planted copies among them: ${foundText} of ${plantedText.size}`);
if (!opts.keep) rmSync(dir, { recursive: true, force: true });
