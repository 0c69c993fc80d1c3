// The playground's 2-D data sets: n points in the square [-EXTENT, EXTENT]², labelled 0 or 1.
import type { PlaygroundDataset } from "../../shared/widget-data.js";
import { gaussian, rng } from "./random.js";

/** The points lie in, and the plot shows, [-EXTENT, EXTENT]². */
export const EXTENT = 1.2;

/** Point k is (x[k], y[k]) with label[k], 0 or 1. */
export interface Points {
  x: Float64Array;
  y: Float64Array;
  label: Float64Array;
}

// Mixed into the seed so that each data set draws its own numbers.
const SALT: Record<PlaygroundDataset, number> = { linear: 1, xor: 2, circle: 3, spiral: 4 };

/**
 * n points of a data set, the same for the same seed. Before noise: "linear" is two Gaussian blobs around
 * (-0.5, -0.5) (label 0) and (0.5, 0.5) (label 1); "xor" is label 1 where x and y have the same sign; "circle" is a
 * disc of radius 0.5 (label 1) inside a ring from 0.7 to 1 (label 0); "spiral" is two interleaved arms. Every set but
 * "xor" alternates the labels, 0 first. `noise` (0 to 1) adds Gaussian jitter of standard deviation 0.25 × noise
 * to each coordinate, after the label is fixed.
 */
export function makePoints(name: PlaygroundDataset, n: number, noise: number, seed: number): Points {
  const rand = rng(seed * 7919 + SALT[name]);
  const spread = 0.25 * noise;
  const clamp = (v: number) => Math.max(-EXTENT + 0.05, Math.min(EXTENT - 0.05, v));
  const points: Points = { x: new Float64Array(n), y: new Float64Array(n), label: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    let px = 0;
    let py = 0;
    let label = i % 2;
    if (name === "linear") {
      const c = label ? 0.5 : -0.5;
      px = c + 0.15 * gaussian(rand);
      py = c + 0.15 * gaussian(rand);
    } else if (name === "xor") {
      px = (0.05 + 0.95 * rand()) * (rand() < 0.5 ? -1 : 1);
      py = (0.05 + 0.95 * rand()) * (rand() < 0.5 ? -1 : 1);
      label = px * py > 0 ? 1 : 0;
    } else if (name === "circle") {
      const r = label ? 0.5 * Math.sqrt(rand()) : 0.7 + 0.3 * rand();
      const a = 2 * Math.PI * rand();
      px = r * Math.cos(a);
      py = r * Math.sin(a);
    } else {
      const t = Math.floor(i / 2) / Math.ceil(n / 2); // position along the arm, 0 to 1
      const r = 0.05 + 0.95 * t;
      const a = 1.75 * 2 * Math.PI * t + (label ? Math.PI : 0);
      px = r * Math.sin(a);
      py = r * Math.cos(a);
    }
    points.x[i] = clamp(px + spread * gaussian(rand));
    points.y[i] = clamp(py + spread * gaussian(rand));
    points.label[i] = label;
  }
  return points;
}
