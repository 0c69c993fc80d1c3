// plotFunctions(): y = f(x) for a few named functions on one chart (activations and their derivatives).
import type { TopLevelSpec } from "vega-lite";
import { escapeHtml } from "./escape.js";
import { Figure } from "./figure.js";
import { shortNumber } from "./tensor.js";
import { PendingChart, textOrAbsent } from "./chart.js";

export interface PlotOptions {
  from: number;
  to: number;
  /** Points per function, evenly spaced from `from` to `to` inclusive (default 200). */
  samples?: number;
  title?: string;
}

/** Plots each function as a line, in the order given; x values where f is not finite leave a gap. */
export function plotFunctions(fns: Record<string, (x: number) => number>, options: PlotOptions): Promise<Figure> {
  return new PendingChart(() => plotParts(fns, options));
}

function plotParts(fns: Record<string, (x: number) => number>, options: PlotOptions) {
  if (typeof fns !== "object" || fns === null) throw new TypeError("plotFunctions: expected an object of named functions, e.g. { relu: (x) => Math.max(0, x) }.");
  const names = Object.keys(fns);
  if (names.length === 0) throw new RangeError("plotFunctions: no functions given.");
  for (const n of names) if (typeof fns[n] !== "function") throw new TypeError(`plotFunctions: "${n}" is not a function.`);
  const { from, to, samples = 200 } = options ?? ({} as PlotOptions);
  if (!Number.isFinite(from) || !Number.isFinite(to) || !(from < to)) throw new RangeError(`plotFunctions: need finite from < to, got from = ${from}, to = ${to}.`);
  if (!Number.isInteger(samples) || samples < 2 || samples > 10_000) throw new RangeError(`plotFunctions: samples must be a whole number from 2 to 10000, got ${samples}.`);
  const xs = Array.from({ length: samples }, (_, i) => from + ((to - from) * i) / (samples - 1));
  const call = (name: string, x: number): number => {
    let y: unknown;
    try {
      y = fns[name]!(x);
    } catch (e) {
      throw new Error(`plotFunctions: "${name}" threw at x = ${x}: ${(e as Error).message ?? e}`);
    }
    if (typeof y !== "number") throw new TypeError(`plotFunctions: "${name}" returned ${typeof y} at x = ${x}, not a number.`);
    return y;
  };
  const values = names.flatMap((f) => xs.map((x) => {
    const y = call(f, x);
    return { x, y: Number.isFinite(y) ? y : null, f };
  }));
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width: 420,
    height: 260,
    data: { values },
    mark: { type: "line", strokeWidth: 2, invalid: "break-paths-show-domains" },
    encoding: {
      x: { field: "x", type: "quantitative", scale: { domain: [from, to], nice: false } },
      y: { field: "y", type: "quantitative", title: "f(x)" },
      color: { field: "f", type: "nominal", title: null, scale: { domain: names } },
    },
  } as unknown as TopLevelSpec;
  const points = Array.from({ length: 9 }, (_, i) => from + ((to - from) * i) / 8);
  const cells = [["x", ...names], ...points.map((x) => [shortNumber(x), ...names.map((n) => shortNumber(call(n, x)))])];
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((row) => row[j]!.length)));
  const table = cells.map((row) => row.map((s, j) => s.padStart(widths[j]!)).join("  ")).join("\n");
  const text = `${options.title ? options.title + "\n" : ""}${table}`;
  const figure = (svg: string) => new Figure({ "text/plain": text, "image/svg+xml": svg, "text/html": `<div class="cw-chart" title="${escapeHtml(options.title ?? names.join(", "))}">${svg}</div>` });
  return { spec, text, figure, quiet: textOrAbsent(options.title) };
}
