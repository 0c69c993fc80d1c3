#!/usr/bin/env node
// Writes examples/<assignment>/ from each instructor's source notebook, so the examples follow the sources:
//   complete.ipynb      every answer cell filled with the instructor's solution
//   partly-right.ipynb  some answers right, some wrong in a way students get them wrong (listed below)
//   untouched.ipynb     the release notebook as students receive it
//   not-json.ipynb      (llm-architecture only) a file that is not a notebook at all
// `npm run grade:examples` grades each folder as its assignment into grades/<assignment>/.
// Usage: npm run build && node scripts/make-example-submissions.mjs
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { formatNotebook, makeRelease, readNotebook } from "../grader/dist/src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));

const text = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const lines = (s) => s.split("\n").map((l, i, a) => (i < a.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
const withoutMarkers = (s) => s.split("\n").filter((l) => !/^\s*\/\/\s*(BEGIN|END) SOLUTION\s*$/.test(l)).join("\n");

/** The partly right answers of each assignment, by answer cell (grade_id); the other cells get the solution. */
const partlyRight = {
  // softmax right, similarity matrix wrong (dot products instead of cosines)
  "llm-architecture": {
    "similarity-matrix": `// Forgot to divide by the norms: these are dot products, not cosine similarities.
similarityMatrix = [0, 1, 2].map((i) => [0, 1, 2].map((j) => {
  const u = row(embeddings, i), v = row(embeddings, j);
  return u.reduce((sum, x, k) => sum + x * v[k]!, 0);
}));
similarityMatrix`,
    "nn-definition": "Layers of neurons that compute weighted sums followed by activation functions.",
  },
  // logit lens and patching right; the ablation measured on logits, the temperature applied to the probabilities,
  // top-p stopping one token short
  "inside-the-transformer": {
    "mlp-ablation": `// The change in the answer's logit (not its probability).
mlpEffects = [];
for (let l = 0; l < numLayers; l++) {
  const { logits: ablated } = await model.runWithHooks(tokenizer(prompt), {
    fwdHooks: [[\`model.layers.\${l}.mlp\`, (module, args, output) => zerosLike(output as Tensor)]],
  });
  mlpEffects.push(positionRow(ablated, S - 1)[answerId]! - lastLogits[answerId]!);
}
console.log(mlpEffects);`,
    temperature: `// Temperature applied after the softmax, then renormalised: this gives back the T = 1 distribution.
tempered = TEMPERATURES.map((T) => {
  const scaled = lastProbs.map((p) => p / T);
  const total = scaled.reduce((a, b) => a + b, 0);
  return scaled.map((p) => p / total);
});
console.log(tempered.map((p) => p[answerId]));`,
    "top-p": `// Keeps tokens while the total stays below TOP_P: the token that crosses it is left out.
{
  const order = lastProbs.map((_, i) => i).sort((a, b) => lastProbs[b]! - lastProbs[a]!);
  const kept: number[] = [];
  let total = 0;
  for (const i of order) {
    if (total + lastProbs[i]! >= TOP_P) break;
    kept.push(i);
    total += lastProbs[i]!;
  }
  nucleus = lastProbs.map(() => 0);
  for (const i of kept) nucleus[i] = lastProbs[i]! / total;
}
console.log(nucleus.filter((x) => x > 0).length);`,
    "lens-vs-patching": "The logit lens looks at the layers, and patching changes them.",
  },
};

let written = 0;
for (const [assignment, overrides] of Object.entries(partlyRight)) {
  const out = `${root}examples/${assignment}/`;
  const source = await readNotebook(`${root}solutions/${assignment}/${assignment}.ipynb`);
  const release = makeRelease(source, assignment);
  const solutions = new Map(source.cells.filter((c) => c.metadata.nbgrader?.solution).map((c) => [c.metadata.nbgrader.grade_id, withoutMarkers(text(c))]));
  const answered = (answers = {}) => ({
    ...release,
    cells: release.cells.map((cell) => {
      const id = cell.metadata.nbgrader?.solution ? cell.metadata.nbgrader.grade_id : undefined;
      if (id === undefined) return cell;
      return { ...cell, source: lines(answers[id] ?? solutions.get(id)) };
    }),
  });
  await mkdir(out, { recursive: true });
  await writeFile(`${out}complete.ipynb`, formatNotebook(answered()));
  await writeFile(`${out}partly-right.ipynb`, formatNotebook(answered(overrides)));
  await writeFile(`${out}untouched.ipynb`, formatNotebook(release));
  written += 3;
  if (assignment === "llm-architecture") {
    await writeFile(`${out}not-json.ipynb`, "This file was renamed to .ipynb but it is a plain text file, not a notebook.\n");
    written += 1;
  }
}
console.log(`wrote ${written} example submissions to ${root}examples/`);
