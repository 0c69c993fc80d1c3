// heatmap(): a matrix as coloured cells, rows and columns labelled (by tokens, for attention patterns).
import type { TopLevelSpec } from "vega-lite";
import { escapeHtml, visibleLabel } from "./escape.js";
import { Figure } from "./figure.js";
import { toMatrix } from "./inputs.js";
import { shortNumber, type TensorLike } from "./tensor.js";
import { PendingChart, QUIET_SCHEMES, textOrAbsent } from "./chart.js";
import { labelLookup } from "./vega.js";

export interface HeatmapOptions {
  /** One label per row (e.g. the query tokens of an attention pattern). */
  rows?: string[];
  /** One label per column (e.g. the key tokens). */
  cols?: string[];
  title?: string;
  /** A Vega colour scheme ("viridis", "blues", "redblue", ...). Default: viridis, or blueorange around 0 when the values have both signs. */
  scheme?: string;
  /** The values mapped to the two ends of the colour scale (default: the data's min and max). */
  domain?: [number, number];
  /** Write each value in its cell (default: only when the matrix is small enough to read them). */
  cellText?: boolean;
  /**
   * Text to write in each cell instead of its value, one string per cell (e.g. the top token of a logit lens);
   * the colour still shows the value, and hovering a cell shows both. Cells are widened to fit the text.
   */
  cellLabels?: string[][];
}

/** vega's single-hue schemes, which go from light (low values) to dark (high values). */
const DARK_AT_TOP = new Set(["blues", "greens", "greys", "oranges", "purples", "reds"]);

/** More cells than this is too many to draw; slice the matrix first. */
export const MAX_CELLS = 40_000;

/**
 * Draws a matrix as a heat map. Takes number[][] or a 2-D Tensor (leading dimensions of size 1 are dropped);
 * NaN and ±Infinity cells are drawn grey. Hover a cell for its row, column and value.
 */
export function heatmap(matrix: number[][] | TensorLike, options: HeatmapOptions = {}): Promise<Figure> {
  return new PendingChart(() => heatmapParts(matrix, options));
}

function heatmapParts(matrix: number[][] | TensorLike, options: HeatmapOptions) {
  const m = toMatrix("heatmap", matrix);
  const nr = m.length, nc = m[0]!.length;
  if (nr * nc > MAX_CELLS) throw new RangeError(`heatmap: ${nr}×${nc} is too many cells to draw (at most ${MAX_CELLS}); slice the matrix first.`);
  const rows = labels("rows", options.rows, nr);
  const cols = labels("cols", options.cols, nc);
  const finite = m.flat().filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  if (options.domain) {
    const [a, b] = options.domain;
    if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) throw new RangeError(`heatmap: domain must be [low, high] with low < high, got [${a}, ${b}].`);
  }
  const [dLo, dHi] = options.domain ?? [lo, hi];
  const diverging = !options.scheme && !options.domain && lo < 0 && hi > 0;
  const scheme = options.scheme ?? (diverging ? "blueorange" : "viridis");
  const cellLabels = options.cellLabels === undefined ? undefined : gridLabels(options.cellLabels, nr, nc);
  const cell = Math.max(6, Math.min(36, Math.floor(520 / Math.max(nr, nc))));
  const longest = cellLabels ? Math.max(1, ...cellLabels.flat().map((l) => l.length)) : 0;
  const cellWidth = cellLabels ? Math.max(cell, Math.min(96, Math.ceil(longest * 6.5) + 8)) : cell;
  const cellText = cellLabels !== undefined || (options.cellText ?? (cell >= 24 && nr * nc <= 400));
  const mid = diverging ? 0 : (dLo + dHi) / 2;
  const half = Math.max(Math.abs(dHi - mid), Math.abs(mid - dLo)) || 1;
  const values = m.flatMap((row, r) =>
    row.map((v, c) => ({
      r,
      c,
      v: Number.isFinite(v) ? v : null,
      ok: Number.isFinite(v),
      text: cellLabels ? cellLabels[r]![c]! : shortNumber(v).replace(/^(-?\d+\.\d\d)\d+$/, "$1"),
      // dark text on light cells: viridis (and magma, ...) is light at the top, single-hue schemes at the bottom,
      // diverging schemes in the middle
      light: Number.isFinite(v) && (diverging ? Math.abs(v - mid) < half * 0.55 : DARK_AT_TOP.has(scheme) ? v < mid : v > mid),
      desc: `${rows[r]} → ${cols[c]}: ${cellLabels ? `${cellLabels[r]![c]!} ` : ""}${shortNumber(v)}`,
    })),
  );
  const x = { field: "c", type: "ordinal", sort: "ascending", title: null, axis: { labelExpr: labelLookup(cols), labelAngle: -45, labelAlign: "right" } };
  const y = { field: "r", type: "ordinal", sort: "ascending", title: null, axis: { labelExpr: labelLookup(rows) } };
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width: nc * cellWidth,
    height: nr * cell,
    data: { values },
    encoding: { x, y },
    layer: [
      {
        transform: [{ filter: "datum.ok" }],
        mark: { type: "rect" },
        encoding: {
          color: { field: "v", type: "quantitative", title: "value", scale: { scheme, domain: [dLo, dHi], ...(diverging ? { domainMid: 0 } : {}), clamp: true } },
          description: { field: "desc" },
        },
      },
      { transform: [{ filter: "!datum.ok" }], mark: { type: "rect", color: "#d0d0d0" }, encoding: { description: { field: "desc" } } },
      ...(cellText
        ? [{
            mark: { type: "text", fontSize: cellLabels ? Math.min(11, Math.max(8, cell / 2.5)) : Math.min(11, cell / 3) },
            encoding: { text: { field: "text" }, color: { condition: { test: "datum.light", value: "black" }, value: "white" } },
          }]
        : []),
    ],
  } as unknown as TopLevelSpec;
  const text = `${options.title ? options.title + "\n" : ""}heatmap ${nr}×${nc}, values ${shortNumber(lo)} … ${shortNumber(hi)}\n${matrixText(m, rows, cols, cellLabels)}`;
  const quiet = textOrAbsent(options.title) && (options.scheme === undefined || QUIET_SCHEMES.includes(options.scheme));
  const figure = (svg: string) => new Figure({ "text/plain": text, "image/svg+xml": svg, "text/html": `<div class="cw-chart" title="${escapeHtml(options.title ?? "heatmap")}">${svg}</div>` });
  return { spec, text, figure, quiet };
}

/** The cell labels, checked against the matrix's shape, with spaces and line breaks made visible. */
function gridLabels(given: unknown, nr: number, nc: number): string[][] {
  if (!Array.isArray(given) || !given.every((r) => Array.isArray(r) && r.every((l) => typeof l === "string"))) throw new TypeError("heatmap: cellLabels must be an array of rows of strings, one per cell.");
  if (given.length !== nr || given.some((r: string[]) => r.length !== nc)) throw new RangeError(`heatmap: cellLabels must have the matrix's shape, ${nr}×${nc}: one string per cell.`);
  return (given as string[][]).map((r) => r.map(visibleLabel));
}

function labels(which: string, given: string[] | undefined, n: number): string[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => String(i));
  if (!Array.isArray(given)) throw new TypeError(`heatmap: ${which} must be an array of strings.`);
  if (given.length !== n) throw new RangeError(`heatmap: ${given.length} ${which} labels for ${n} ${which}; give one label per ${which === "rows" ? "row" : "column"}.`);
  return given.map((l) => visibleLabel(String(l)));
}

/** A small text table: long sides cut to their first and last 5, labels shortened to 8 characters. */
export function matrixText(m: number[][], rows: string[], cols: string[], cellLabels?: string[][]): string {
  const edge = 5;
  const pick = (n: number) => (n <= 2 * edge + 1 ? [...Array(n).keys()] : [...Array(edge).keys(), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)]);
  const cut = (s: string) => (s.length > 8 ? s.slice(0, 7) + "…" : s);
  const ri = pick(m.length), ci = pick(m[0]!.length);
  const value = (r: number, c: number) => shortNumber(m[r]![c]!).replace(/^(-?\d+\.\d\d)\d+$/, "$1");
  const cells = ri.map((r) => ci.map((c) => (r < 0 || c < 0 ? (r < 0 && c < 0 ? "⋱" : r < 0 ? "⋮" : "…") : cellLabels ? `${cut(cellLabels[r]![c]!)} ${value(r, c)}` : value(r, c))));
  const head = ci.map((c) => (c < 0 ? "…" : cut(cols[c]!)));
  const left = ri.map((r) => (r < 0 ? "⋮" : cut(rows[r]!)));
  const w = Math.max(...cells.flat().map((s) => s.length), ...head.map((s) => s.length));
  const lw = Math.max(...left.map((s) => s.length));
  const lines = [" ".repeat(lw) + " " + head.map((s) => s.padStart(w)).join(" ")];
  cells.forEach((row, i) => lines.push(left[i]!.padEnd(lw) + " " + row.map((s) => s.padStart(w)).join(" ")));
  return lines.join("\n");
}
