#!/usr/bin/env node
// Writes examples/submissions/ from the instructor's source notebook, so the examples follow the source:
//   complete.ipynb      every answer cell filled with the instructor's solution
//   partly-right.ipynb  softmax right, similarity matrix wrong (dot products instead of cosines)
//   untouched.ipynb     the release notebook as students receive it
//   not-json.ipynb      a file that is not a notebook at all
// Usage: npm run build && node scripts/make-example-submissions.mjs
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { formatNotebook, makeRelease, readNotebook } from "../grader/dist/src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}examples/submissions/`;
const source = await readNotebook(`${root}solutions/llm-architecture/llm-architecture.ipynb`);
const release = makeRelease(source, "llm-architecture");

const text = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
const lines = (s) => s.split("\n").map((l, i, a) => (i < a.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
const withoutMarkers = (s) => s.split("\n").filter((l) => !/^\s*\/\/\s*(BEGIN|END) SOLUTION\s*$/.test(l)).join("\n");
const solutions = new Map(source.cells.filter((c) => c.metadata.nbgrader?.solution).map((c) => [c.metadata.nbgrader.grade_id, withoutMarkers(text(c))]));

function answered(overrides = {}) {
  return {
    ...release,
    cells: release.cells.map((cell) => {
      const id = cell.metadata.nbgrader?.solution ? cell.metadata.nbgrader.grade_id : undefined;
      if (id === undefined) return cell;
      return { ...cell, source: lines(overrides[id] ?? solutions.get(id)) };
    }),
  };
}

const wrongSimilarity = `// Forgot to divide by the norms: these are dot products, not cosine similarities.
similarityMatrix = [0, 1, 2].map((i) => [0, 1, 2].map((j) => {
  const u = row(embeddings, i), v = row(embeddings, j);
  return u.reduce((sum, x, k) => sum + x * v[k]!, 0);
}));
similarityMatrix`;

await mkdir(out, { recursive: true });
await writeFile(`${out}complete.ipynb`, formatNotebook(answered()));
await writeFile(`${out}partly-right.ipynb`, formatNotebook(answered({
  "similarity-matrix": wrongSimilarity,
  "nn-definition": "Layers of neurons that compute weighted sums followed by activation functions.",
})));
await writeFile(`${out}untouched.ipynb`, formatNotebook(release));
await writeFile(`${out}not-json.ipynb`, "This file was renamed to .ipynb but it is a plain text file, not a notebook.\n");
console.log(`wrote 4 example submissions to ${out}`);
