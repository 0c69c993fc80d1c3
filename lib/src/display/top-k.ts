// topK(): the k most probable next tokens as horizontal bars, most probable on top.
import type { TopLevelSpec } from "vega-lite";
import { escapeHtml, quoteToken } from "./escape.js";
import { Figure } from "./figure.js";
import { toVector } from "./inputs.js";
import type { TensorLike } from "./tensor.js";
import { PendingChart, textOrAbsent } from "./chart.js";
import { labelLookup } from "./vega.js";

export interface TopKOptions {
  /** The label of each id: an array (one per probability) or a function, e.g. `(id) => tokenizer.decode([id])`. */
  labels?: string[] | ((id: number) => string);
  title?: string;
}

export interface TopKEntry {
  id: number;
  probability: number;
  label: string;
}

/** The k largest probabilities with their ids, largest first (ties: lower id first). */
export function topKEntries(probabilities: number[] | TensorLike, k: number, options: TopKOptions = {}): TopKEntry[] {
  const p = toVector("topK", probabilities, "For next-token probabilities take the last position, e.g. softmax(logits[0][-1]).");
  if (p.length === 0) throw new RangeError("topK: no probabilities given.");
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK: k must be a whole number ≥ 1, got ${k}.`);
  if (k > p.length) throw new RangeError(`topK: k = ${k} is more than the ${p.length} probabilities given.`);
  p.forEach((x, i) => {
    if (Number.isNaN(x)) throw new RangeError(`topK: the probability at index ${i} is NaN.`);
    if (x < 0 || x > 1 + 1e-6) {
      throw new RangeError(`topK: expected probabilities between 0 and 1, but index ${i} is ${x}. Logits? Apply softmax first.`);
    }
  });
  const { labels } = options;
  if (Array.isArray(labels) && labels.length !== p.length) {
    throw new RangeError(`topK: ${labels.length} labels for ${p.length} probabilities; give one label per id (or a function id => label).`);
  }
  if (labels !== undefined && !Array.isArray(labels) && typeof labels !== "function") throw new TypeError("topK: labels must be an array of strings or a function (id) => string.");
  const label = (id: number): string =>
    labels === undefined ? `#${id}` : quoteToken(String(Array.isArray(labels) ? labels[id] : labels(id)));
  // Keep a sorted list of the best k (k is small, the vocabulary large).
  const best: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (best.length === k && x <= p[best[k - 1]!]!) continue;
    let j = best.length;
    while (j > 0 && p[best[j - 1]!]! < x) j--;
    best.splice(j, 0, i);
    if (best.length > k) best.pop();
  }
  return best.map((id) => ({ id, probability: p[id]!, label: label(id) }));
}

function percent(p: number): string {
  return p >= 0.001 ? `${(p * 100).toFixed(1)}%` : p === 0 ? "0%" : `${(p * 100).toExponential(1)}%`;
}

/**
 * Horizontal bars of the k most probable entries, labelled (quoted, spaces shown as ␣) and with their
 * probabilities. Takes number[] or a Tensor that is 1-D once leading dimensions of size 1 are dropped.
 */
export function topK(probabilities: number[] | TensorLike, k: number, options: TopKOptions = {}): Promise<Figure> {
  return new PendingChart(() => topKParts(probabilities, k, options));
}

function topKParts(probabilities: number[] | TensorLike, k: number, options: TopKOptions) {
  const top = topKEntries(probabilities, k, options);
  const values = top.map((e, rank) => ({ rank, p: e.probability, pText: percent(e.probability), desc: `${e.label} (id ${e.id}): ${percent(e.probability)}` }));
  const max = top[0]!.probability;
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width: 360,
    height: { step: 22 },
    data: { values },
    encoding: {
      y: { field: "rank", type: "ordinal", sort: "ascending", title: null, axis: { labelExpr: labelLookup(top.map((e) => e.label)), labelFont: "monospace", ticks: false } },
      x: { field: "p", type: "quantitative", title: "probability", scale: { domain: [0, max > 0 ? max * 1.18 : 1] }, axis: { format: ".0%" } },
    },
    layer: [
      { mark: { type: "bar", color: "#4c78a8" }, encoding: { description: { field: "desc" } } },
      { mark: { type: "text", align: "left", dx: 3, fontSize: 11 }, encoding: { text: { field: "pText" } } },
    ],
  } as unknown as TopLevelSpec;
  const lw = Math.max(...top.map((e) => e.label.length));
  const lines = top.map((e, i) => `${String(i + 1).padStart(String(k).length)}. ${e.label.padEnd(lw)}  ${percent(e.probability).padStart(6)}  ${"█".repeat(Math.round((e.probability / (max || 1)) * 20))}`);
  const text = `${options.title ?? `top ${k}`}\n${lines.join("\n")}`;
  const figure = (svg: string) => new Figure({ "text/plain": text, "image/svg+xml": svg, "text/html": `<div class="cw-chart" title="${escapeHtml(options.title ?? `top ${k}`)}">${svg}</div>` });
  return { spec, text, figure, quiet: textOrAbsent(options.title) };
}
