// inspector(calls): the module inspector widget. Each recorded hook call is summarised here (shape, dtype,
// statistics, a few values, a small down-sampled picture of the values) and embedded as JSON with the browser
// code from lib/client/inspector.ts; whole tensors never leave Node, and the total size is capped.
import type { CallSummary, InspectorData, TensorSummary, ValuePreview } from "../../shared/widget-data.js";
import { type ModuleOutput, flattenOutput, outputLabels } from "../module-signature.js";
import { Figure } from "./figure.js";
import {
  type TensorLike,
  elementReader,
  isNumericType,
  isTensorLike,
  numel,
  shortNumber,
  tensorStats,
  toNumber,
} from "./tensor.js";
import { widgetHtml } from "./widget.js";

/** What inspector() reads from a hook call (a HookCall fits). */
export interface InspectableCall {
  module: { name: string; className: string; inputNames?: readonly string[]; outputNames?: readonly string[] };
  args: readonly unknown[];
  output: unknown;
}

export interface InspectorOptions {
  /** Values listed per tensor (default 8). */
  sampleValues?: number;
  /** Size of each tensor's picture: at most this many rows and columns (default 12 × 48). */
  previewRows?: number;
  previewCols?: number;
  /** Calls are dropped (the widget says how many) once their summaries pass this many bytes (default 1 MB). */
  maxBytes?: number;
}

/** Evenly spaced indices, at most `max` of `n`. */
function stride(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * (n - 1)) / (max - 1)));
}

function preview(t: TensorLike, maxRows: number, maxCols: number): ValuePreview | null {
  if (!isNumericType(t.type) && t.type !== "bool") return null;
  const dims = t.dims;
  if (dims.length === 0 || numel(dims) < 2) return null;
  const rows = dims.length >= 2 ? dims.at(-2)! : 1;
  const cols = dims.at(-1)!;
  const get = elementReader(t);
  const ri = dims.length >= 2 ? stride(rows, maxRows) : [0];
  const ci = stride(cols, dims.length >= 2 ? maxCols : 64);
  const values = ri.flatMap((r) => ci.map((c) => toNumber(get(r * cols + c))));
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 0;
  const q = values.map((v) => (Number.isFinite(v) ? (hi > lo ? Math.round(((v - lo) / (hi - lo)) * 255) : 128) : -1));
  const lead = dims.slice(0, -2).map(() => "0");
  const slice = dims.length >= 2 ? `[${[...lead, ":", ":"].join(", ")}]` : "[:]";
  const sampled = ri.length < rows || ci.length < cols;
  return { rows: ri.length, cols: ci.length, q, lo, hi, slice: sampled ? `${slice} sampled ${ri.length}×${ci.length}` : slice };
}

function summarise(name: string, value: unknown, opts: Required<InspectorOptions>): TensorSummary {
  if (!isTensorLike(value)) {
    const text = value === undefined ? "undefined" : typeof value === "object" && value !== null ? (value.constructor?.name ?? "object") : typeof value;
    return { name, dtype: typeof value, dims: [], stats: null, sample: [], preview: null, note: `(${text})` };
  }
  const get = elementReader(value);
  const n = Math.min(numel(value.dims), value.data.length, opts.sampleValues);
  const sample = Array.from({ length: n }, (_, i) => {
    const x = get(i);
    return typeof x === "number" ? shortNumber(x) : typeof x === "string" ? JSON.stringify(x.length > 20 ? x.slice(0, 20) + "…" : x) : String(x);
  });
  return {
    name,
    dtype: value.type,
    dims: [...value.dims],
    stats: tensorStats(value),
    sample,
    preview: preview(value, opts.previewRows, opts.previewCols),
  };
}

/**
 * The values of a hook's output, each labelled the way a student reaches it (`output[0]`, `output.logits`,
 * `output.past_key_values[0][1]`) and by the graph value it is, when the module says.
 */
function outputsOf(call: InspectableCall): Array<[string, unknown]> {
  const names = call.module.outputNames ?? [];
  const out = call.output;
  const structured = Array.isArray(out) || isTensorLike(out) || (typeof out === "object" && out !== null && ("logits" in out || "last_hidden_state" in out));
  if (!structured) return [["output", out]];
  const values = flattenOutput(out as ModuleOutput);
  return outputLabels(out as ModuleOutput).map((label, i) => [names[i] ? `${label} · ${names[i]}` : label, values[i]]);
}

/** Summaries of the calls, in order, until the size budget is spent. */
export function summariseCalls(calls: Iterable<InspectableCall>, options: InspectorOptions = {}): InspectorData {
  const opts: Required<InspectorOptions> = { sampleValues: 8, previewRows: 12, previewCols: 48, maxBytes: 1_000_000, ...options };
  const out: CallSummary[] = [];
  let bytes = 0, omitted = 0, index = 0;
  for (const call of calls) {
    const i = index++;
    if (bytes > opts.maxBytes) {
      omitted++;
      continue;
    }
    const { module } = call;
    const names = module.inputNames ?? [];
    const summary: CallSummary = {
      index: i,
      name: module.name,
      className: module.className,
      depth: module.name === "" ? 0 : module.name.split(".").length,
      inputs: call.args.map((a, j) => summarise(names[j] ? `args[${j}] · ${names[j]}` : `args[${j}]`, a, opts)),
      outputs: outputsOf(call).map(([n, v]) => summarise(n, v, opts)),
    };
    const size = JSON.stringify(summary).length;
    if (bytes + size > opts.maxBytes) {
      bytes = opts.maxBytes + 1;
      omitted++;
      continue;
    }
    bytes += size;
    out.push(summary);
  }
  return { calls: out, omitted };
}

let counter = 0;

function css(id: string): string {
  const s = `#${id}`;
  return `<style>
${s} { font-family: system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif; font-size: 13px; color: #222; }
${s} .cwi-wrap { display: flex; gap: 12px; align-items: flex-start; }
${s} .cwi-side { width: 290px; flex: none; }
${s} .cwi-filter { width: 100%; box-sizing: border-box; margin-bottom: 4px; padding: 3px 6px; font: inherit; }
${s} .cwi-list { max-height: 440px; overflow-y: auto; border: 1px solid #ddd; border-radius: 4px; }
${s} .cwi-item { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 2px 4px; font: 12px monospace; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #222; }
${s} .cwi-item:hover { background: #eef3fa; }
${s} .cwi-item.cwi-selected { background: #4c78a8; color: #fff; }
${s} .cwi-item-class { color: #888; }
${s} .cwi-item.cwi-selected .cwi-item-class { color: #dde; }
${s} .cwi-panel { flex: 1; min-width: 0; overflow-x: auto; }
${s} .cwi-title { font: bold 15px monospace; }
${s} .cwi-muted { color: #888; margin: 2px 0 6px; }
${s} .cwi-section { margin-top: 8px; }
${s} .cwi-section-title { font-weight: 600; margin-bottom: 2px; }
${s} .cwi-table { border-collapse: collapse; }
${s} .cwi-table th { text-align: left; font-weight: normal; color: #888; padding: 2px 8px 2px 0; border-bottom: 1px solid #ddd; }
${s} .cwi-table td { padding: 3px 8px 3px 0; vertical-align: middle; border-bottom: 1px solid #f0f0f0; }
${s} .cwi-name, ${s} .cwi-dtype, ${s} .cwi-shape, ${s} .cwi-num, ${s} .cwi-sample { font-family: monospace; }
${s} .cwi-num { text-align: right; white-space: nowrap; }
${s} .cwi-shape, ${s} .cwi-dtype { white-space: nowrap; }
${s} .cwi-name { max-width: 200px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; direction: rtl; text-align: left; }
${s} .cwi-sample { color: #555; max-width: 180px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
${s} .cwi-heat { image-rendering: pixelated; border: 1px solid #ddd; display: block; }
</style>`;
}

function callsText(calls: CallSummary[], omitted: number): string {
  const shape = (t: TensorSummary) => t.note ?? `[${t.dims.join(", ")}]`;
  const rows = calls.map((c) => [String(c.index), c.name || "(root)", c.className, c.outputs.map(shape).join(" ")]);
  const cells = [["#", "module", "class", "output"], ...rows];
  const widths = [0, 1, 2].map((j) => Math.max(...cells.map((r) => r[j]!.length)));
  const lines = cells.map((r) => r.map((s, j) => (j < 3 ? s.padEnd(widths[j]!) : s)).join("  "));
  if (omitted) lines.push(`… ${omitted} more calls not shown`);
  return `module inspector: ${calls.length + omitted} calls\n${lines.join("\n")}`;
}

/**
 * The module inspector: pick a recorded module call (in execution order) to see its inputs and outputs.
 * Record the calls with forward hooks: `m.registerForwardHook((module, args, output) => calls.push({ module, args, output }))`.
 */
export function inspector(calls: Iterable<InspectableCall>, options: InspectorOptions = {}): Figure {
  if (calls === null || typeof (calls as Iterable<unknown>)?.[Symbol.iterator] !== "function") {
    throw new TypeError("inspector: expected the recorded hook calls (an array of { module, args, output }).");
  }
  const data = summariseCalls(calls, options);
  const id = `cw-inspector-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const html =
    css(id) +
    widgetHtml("inspector", data, {
      id,
      className: "cw-inspector",
      placeholderHtml: `<div style="color:#888">The module inspector needs JavaScript: run the cell (or trust the notebook) to see it.</div>`,
    });
  return new Figure({ "text/plain": callsText(data.calls, data.omitted), "text/html": html });
}
