// Tensors as text (PyTorch-like, long dimensions summarised with "...") and as HTML (a header with dtype, shape
// and statistics, and a table of one 2-D slice). Works on any object shaped like a transformers.js or
// onnxruntime Tensor: { type, dims, data }.
import type { TensorStats } from "../../shared/widget-data.js";
import { escapeHtml } from "./escape.js";
import { halfToFloat } from "../onnx/tensor-data.js";

export interface TensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayLike<unknown>;
}

export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<TensorLike>;
  return typeof v.type === "string" && Array.isArray(v.dims) && typeof v.data === "object" && v.data !== null && typeof (v.data as ArrayLike<unknown>).length === "number";
}

/** "Tensor float32 [1, 5, 4096]" */
export function tensorHeadline(t: TensorLike): string {
  return `Tensor ${t.type} [${t.dims.join(", ")}]`;
}

export type Element = number | bigint | boolean | string;

/** Reads elements by flat index, decoding float16 stored as raw bits (runtimes without Float16Array). */
export function elementReader(t: TensorLike): (i: number) => Element {
  const data = t.data as ArrayLike<Element>;
  if (t.type === "float16" && data instanceof Uint16Array) return (i) => halfToFloat(data[i]!);
  if (t.type === "bool") return (i) => Boolean(data[i]);
  return (i) => data[i]!;
}

/** The element as a number (bigints converted, booleans 0/1), or NaN for strings. */
export function toNumber(x: Element): number {
  return typeof x === "number" ? x : typeof x === "bigint" ? Number(x) : typeof x === "boolean" ? Number(x) : NaN;
}

export function isNumericType(type: string): boolean {
  return type !== "bool" && type !== "string";
}

export function isFloatType(type: string): boolean {
  return type.startsWith("float") || type === "bfloat16";
}

export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Statistics of a numeric tensor, or null for bool and string tensors. */
export function tensorStats(t: TensorLike): TensorStats | null {
  if (!isNumericType(t.type)) return null;
  const get = elementReader(t);
  const n = Math.min(numel(t.dims), t.data.length);
  let min = Infinity, max = -Infinity, sum = 0, sumSq = 0, count = 0, nan = 0, inf = 0;
  for (let i = 0; i < n; i++) {
    const x = toNumber(get(i));
    if (Number.isNaN(x)) nan++;
    else if (!Number.isFinite(x)) inf++;
    else {
      if (x < min) min = x;
      if (x > max) max = x;
      sum += x;
      sumSq += x * x;
      count++;
    }
  }
  if (count === 0) return { min: null, max: null, mean: null, std: null, nan, inf };
  const mean = sum / count;
  return { min, max, mean, std: Math.sqrt(Math.max(0, sumSq / count - mean * mean)), nan, inf };
}

/** A short number for headers and tables: 4 significant digits, exponent form when very large or small. */
export function shortNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

/** One formatter for all the elements shown, so that they line up (PyTorch's rule for when to use exponents). */
function elementFormatter(t: TensorLike, shown: Element[]): (x: Element) => string {
  if (t.type === "string") return (x) => JSON.stringify(String(x));
  if (t.type === "bool") return (x) => (x ? "true" : "false");
  if (!isFloatType(t.type)) return (x) => String(x);
  const finite = shown.map(toNumber).filter((x) => Number.isFinite(x));
  const abs = finite.map(Math.abs).filter((a) => a > 0);
  const maxAbs = abs.length ? Math.max(...abs) : 0;
  const minAbs = abs.length ? Math.min(...abs) : 0;
  const sci = abs.length > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000);
  return (x) => {
    const v = toNumber(x);
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    return sci ? v.toExponential(4) : v.toFixed(4);
  };
}

/** Indices shown along one dimension; null marks the "..." in the middle. */
function shownIndices(n: number, summarize: boolean, edge: number): Array<number | null> {
  if (!summarize || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), null, ...Array.from({ length: edge }, (_, i) => n - edge + i)];
}

export interface TextOptions {
  /** Summarise when the tensor has more elements than this (PyTorch: 1000). */
  threshold?: number;
  /** Elements kept at each end of a summarised dimension (PyTorch: 3). */
  edgeItems?: number;
  lineWidth?: number;
}

/** The values in PyTorch's layout: nested brackets, long dimensions cut to their first and last items. */
export function tensorValuesText(t: TensorLike, opts: TextOptions = {}): string {
  const { threshold = 1000, edgeItems = 3, lineWidth = 80 } = opts;
  const dims = t.dims;
  const get = elementReader(t);
  if (dims.length === 0) return t.data.length ? elementFormatter(t, [get(0)])(get(0)) : "[]";
  if (numel(dims) === 0) return "[]";
  const summarize = numel(dims) > threshold;
  const strides = dims.map((_, d) => numel(dims.slice(d + 1)));
  // Collect the shown elements first so that one format fits them all.
  const shown: Element[] = [];
  const visit = (d: number, offset: number): void => {
    for (const i of shownIndices(dims[d]!, summarize, edgeItems)) {
      if (i === null) continue;
      if (d === dims.length - 1) shown.push(get(offset + i));
      else visit(d + 1, offset + i * strides[d]!);
    }
  };
  visit(0, 0);
  const fmt = elementFormatter(t, shown);
  const width = Math.max(...shown.map((x) => fmt(x).length));
  const pad = (s: string) => s.padStart(width);
  const build = (d: number, offset: number, indent: number): string => {
    const idx = shownIndices(dims[d]!, summarize, edgeItems);
    if (d === dims.length - 1) {
      const items = idx.map((i) => (i === null ? "...".padStart(width) : pad(fmt(get(offset + i)))));
      const perLine = Math.max(1, Math.floor((lineWidth - indent - 1) / (width + 2)));
      const lines: string[] = [];
      for (let k = 0; k < items.length; k += perLine) lines.push(items.slice(k, k + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(indent + 1))}]`;
    }
    const sep = ",\n" + "\n".repeat(dims.length - d - 2) + " ".repeat(indent + 1);
    const parts = idx.map((i) => (i === null ? "..." : build(d + 1, offset + i * strides[d]!, indent + 1)));
    return `[${parts.join(sep)}]`;
  };
  return build(0, 0, 0);
}

export function statsText(t: TensorLike): string {
  const s = tensorStats(t);
  if (t.type === "bool") {
    const get = elementReader(t);
    let trues = 0;
    for (let i = 0; i < t.data.length; i++) if (get(i)) trues++;
    return `${trues} true of ${t.data.length}`;
  }
  if (!s) return "";
  const parts = s.min === null ? ["no finite values"] : [`min ${shortNumber(s.min)}`, `max ${shortNumber(s.max!)}`, `mean ${shortNumber(s.mean!)}`];
  if (s.nan) parts.push(`${s.nan} NaN`);
  if (s.inf) parts.push(`${s.inf} ±inf`);
  return parts.join(", ");
}

/** text/plain: headline, statistics, values. */
export function tensorText(t: TensorLike): string {
  const stats = statsText(t);
  return `${tensorHeadline(t)}${stats ? `  (${stats})` : ""}\n${tensorValuesText(t)}`;
}

const TABLE_EDGE = 6;

/** text/html: a header and a table of the tensor (1-D, 2-D, or the last two dimensions of the first slice). */
export function tensorHtml(t: TensorLike): string {
  const dims = t.dims;
  const get = elementReader(t);
  const stats = statsText(t);
  const header =
    `<div class="cw-tensor-head"><b>Tensor</b> <code>${escapeHtml(t.type)}</code> ` +
    `<code>[${dims.join(", ")}]</code>${stats ? ` <span style="color:#666">${escapeHtml(stats)}</span>` : ""}</div>`;
  let rows: number, cols: number, note = "";
  if (dims.length === 0) (rows = 1), (cols = 1);
  else if (dims.length === 1) (rows = 1), (cols = dims[0]!);
  else {
    rows = dims.at(-2)!;
    cols = dims.at(-1)!;
    if (dims.length > 2) note = `showing [${dims.slice(0, -2).map(() => "0").join(", ")}, :, :]`;
  }
  if (numel(dims) === 0) return `<div class="cw-tensor">${header}<div>(empty)</div></div>`;
  const rIdx = shownIndices(rows, rows > 2 * TABLE_EDGE, TABLE_EDGE);
  const cIdx = shownIndices(cols, cols > 2 * TABLE_EDGE, TABLE_EDGE);
  const shown: Element[] = [];
  for (const r of rIdx) for (const c of cIdx) if (r !== null && c !== null) shown.push(get(r * cols + c));
  const fmt = elementFormatter(t, shown);
  const td = 'style="padding:1px 6px;text-align:right;font-family:monospace"';
  const th = 'style="padding:1px 6px;text-align:right;color:#888;font-weight:normal"';
  const head = `<tr><th></th>${cIdx.map((c) => `<th ${th}>${c === null ? "⋯" : c}</th>`).join("")}</tr>`;
  const body = rIdx
    .map((r) =>
      r === null
        ? `<tr><th ${th}>⋮</th>${cIdx.map(() => `<td ${td}>⋮</td>`).join("")}</tr>`
        : `<tr><th ${th}>${dims.length >= 2 ? r : ""}</th>${cIdx.map((c) => `<td ${td}>${c === null ? "⋯" : escapeHtml(fmt(get(r * cols + c)))}</td>`).join("")}</tr>`,
    )
    .join("");
  return (
    `<div class="cw-tensor">${header}` +
    (note ? `<div style="color:#888;font-size:90%">${escapeHtml(note)}</div>` : "") +
    `<table style="border-collapse:collapse">${dims.length === 0 ? "" : head}${body}</table></div>`
  );
}
