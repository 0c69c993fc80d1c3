// The data Node hands to each browser widget's mount function, declared once for both sides: lib/src builds it,
// lib/client reads it. Types only: nothing of this file runs, in Node or in the browser bundles.

/** Statistics of a numeric tensor. */
export interface TensorStats {
  /** Over the finite values (null when there are none). */
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** How many elements are NaN, how many ±Infinity. */
  nan: number;
  inf: number;
}

/** A small down-sampled picture of a tensor's last two dimensions (of its first slice). */
export interface ValuePreview {
  rows: number;
  cols: number;
  /** Values scaled to 0..255 between lo and hi; -1 where not finite. */
  q: number[];
  lo: number;
  hi: number;
  /** Which values are shown: "[0, :, :]", with "sampled 12×48" when some were skipped. */
  slice: string;
}

/** One input or output of a module call, summarised. */
export interface TensorSummary {
  name: string;
  dtype: string;
  dims: number[];
  stats: TensorStats | null;
  sample: string[];
  preview: ValuePreview | null;
  /** Set for a value that is not a tensor: "(undefined)", "(object)". */
  note?: string;
}

/** One recorded module call. */
export interface CallSummary {
  index: number;
  name: string;
  className: string;
  depth: number;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
}

export interface InspectorData {
  calls: CallSummary[];
  /** Calls left out past the size cap. */
  omitted: number;
}

export type PlaygroundDataset = "linear" | "xor" | "circle" | "spiral";
export type PlaygroundActivation = "sigmoid" | "relu" | "silu";

/** The playground's settings, every one filled in (playground() takes any of them, and has defaults). */
export interface PlaygroundSettings {
  /** The 2-D points: "linear" (two Gaussian blobs), "xor", "circle" (disc inside a ring), "spiral" (two arms). Default "xor". */
  dataset: PlaygroundDataset;
  /** Neurons per hidden layer, 0 to 6 layers of 1 to 8 neurons; [] is a single neuron (logistic regression). Default [4, 4]. */
  hidden: number[];
  /** Activation of the hidden layers (the output neuron is always a sigmoid). Default "relu". */
  activation: PlaygroundActivation;
  /** Gradient-descent step size, more than 0 and at most 10. Default 0.3. */
  learningRate: number;
  /** Seeds the points and the initial weights: the same seed gives the same start. Integer 0 to 2³²-1. Default 1. */
  seed: number;
  /** How scattered the points are, 0 (clean) to 1 (classes overlap). Default 0.2. */
  noise: number;
  /** Number of training points, 10 to 1000. Default 200. */
  points: number;
  /** Start training as soon as it is shown. Default false. */
  autoplay: boolean;
}

/** What each widget's mount function receives, by the widget's name (lib/client/<name>.ts). */
export interface WidgetData {
  inspector: InspectorData;
  playground: PlaygroundSettings;
}
