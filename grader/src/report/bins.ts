import type { Bin } from "./report-data.js";
import { round } from "./stats.js";

/** `count` equal bins from `lo` to `hi`; a value at `hi` goes in the last. Values outside are clamped. */
export function histogram(values: readonly number[], lo: number, hi: number, count: number): Bin[] {
  const width = (hi - lo) / count;
  const bins: Bin[] = Array.from({ length: count }, (_, i) => ({ from: round(lo + i * width, 6), to: round(lo + (i + 1) * width, 6), count: 0 }));
  for (const v of values) {
    const i = width > 0 ? Math.floor((v - lo) / width + 1e-9) : 0;
    bins[Math.min(count - 1, Math.max(0, i))]!.count++;
  }
  return bins;
}

/** A round bin width (1, 2 or 5 times a power of ten) giving at most `most` bins from 0 to `max`. */
export function niceWidth(max: number, most: number): number {
  const raw = max / most;
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((w) => w >= raw)!;
}
