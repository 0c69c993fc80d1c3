// The neural-network playground as a notebook output: a Figure whose HTML carries its own markup root, scoped CSS
// and the bundled browser code (lib/client/playground.ts), so it works in Jupyter's classic Notebook and in
// JupyterLab (trusted notebooks run output scripts) without any extension. Options are checked here, in Node, so
// a typo fails in the cell with a clear message instead of a silent widget.
import { randomUUID } from "node:crypto";
import type { PlaygroundActivation, PlaygroundDataset, PlaygroundSettings } from "../../shared/widget-data.js";
import { Figure } from "../display/figure.js";
import { widgetHtml } from "../display/widget.js";

export const PLAYGROUND_DATASETS = ["linear", "xor", "circle", "spiral"] as const satisfies readonly PlaygroundDataset[];
export const PLAYGROUND_ACTIVATIONS = ["sigmoid", "relu", "silu"] as const satisfies readonly PlaygroundActivation[];

/** Any of the playground's settings; the others take their defaults. */
export type PlaygroundOptions = Partial<PlaygroundSettings>;

const DEFAULTS: PlaygroundSettings = {
  dataset: "xor",
  hidden: [4, 4],
  activation: "relu",
  learningRate: 0.3,
  seed: 1,
  noise: 0.2,
  points: 200,
  autoplay: false,
};
export const PLAYGROUND_LIMITS = { maxLayers: 6, maxNeurons: 8, minPoints: 10, maxPoints: 1000, maxLearningRate: 10 };

function fail(message: string): never {
  throw new TypeError(`playground(): ${message}`);
}

/** The options with defaults filled in, or a TypeError that says what is allowed. */
export function resolvePlaygroundOptions(options: PlaygroundOptions = {}): PlaygroundSettings {
  if (options === null || typeof options !== "object" || Array.isArray(options)) fail("options must be an object, e.g. { dataset: \"xor\" }");
  const known = Object.keys(DEFAULTS);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) fail(`unknown option "${key}"; the options are ${known.join(", ")}`);
  }
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as PlaygroundSettings;
  const L = PLAYGROUND_LIMITS;
  if (!PLAYGROUND_DATASETS.includes(o.dataset)) {
    fail(`unknown dataset ${JSON.stringify(o.dataset)}; choose one of ${PLAYGROUND_DATASETS.map((d) => `"${d}"`).join(", ")}`);
  }
  if (!PLAYGROUND_ACTIVATIONS.includes(o.activation)) {
    fail(`unknown activation ${JSON.stringify(o.activation)}; choose one of ${PLAYGROUND_ACTIVATIONS.map((d) => `"${d}"`).join(", ")}`);
  }
  if (!Array.isArray(o.hidden)) fail(`hidden must be an array of neuron counts, e.g. [4, 4] (or [] for a single neuron), not ${JSON.stringify(o.hidden)}`);
  if (o.hidden.length > L.maxLayers) fail(`hidden has ${o.hidden.length} layers; at most ${L.maxLayers} hidden layers are allowed`);
  o.hidden.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > L.maxNeurons) {
      fail(`hidden[${i}] is ${JSON.stringify(n)}; each hidden layer has a whole number of neurons from 1 to ${L.maxNeurons}`);
    }
  });
  if (typeof o.learningRate !== "number" || !Number.isFinite(o.learningRate) || o.learningRate <= 0 || o.learningRate > L.maxLearningRate) {
    fail(`learningRate is ${JSON.stringify(o.learningRate)}; it must be a number more than 0 and at most ${L.maxLearningRate} (e.g. 0.3)`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) fail(`seed is ${JSON.stringify(o.seed)}; it must be a whole number from 0 to 4294967295`);
  if (typeof o.noise !== "number" || !(o.noise >= 0 && o.noise <= 1)) fail(`noise is ${JSON.stringify(o.noise)}; it must be a number from 0 to 1`);
  if (!Number.isInteger(o.points) || o.points < L.minPoints || o.points > L.maxPoints) {
    fail(`points is ${JSON.stringify(o.points)}; it must be a whole number from ${L.minPoints} to ${L.maxPoints}`);
  }
  if (typeof o.autoplay !== "boolean") fail(`autoplay is ${JSON.stringify(o.autoplay)}; it must be true or false`);
  return { ...o, hidden: [...o.hidden] };
}

// Every rule starts with .cwpg, the class the client puts on the widget's root, so nothing leaks into the notebook.
const CSS = `
.cwpg { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; max-width: 880px;
  border: 1px solid #ddd; border-radius: 8px; padding: 10px 12px; background: #fff; box-sizing: border-box; }
.cwpg * { box-sizing: border-box; }
.cwpg button { font: inherit; padding: 3px 10px; border: 1px solid #bbb; border-radius: 5px; background: #f7f7f7;
  color: #222; cursor: pointer; line-height: 1.3; }
.cwpg button:hover:not(:disabled) { background: #ececec; }
.cwpg button:disabled { opacity: 0.45; cursor: default; }
.cwpg button.cwpg-primary { background: #0877bd; border-color: #0877bd; color: #fff; }
.cwpg button.cwpg-primary:hover:not(:disabled) { background: #06639e; }
.cwpg select { font: inherit; padding: 2px 4px; max-width: 100%; }
.cwpg .cwpg-toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 10px; }
.cwpg .cwpg-stat { font-variant-numeric: tabular-nums; margin-left: 10px; font-weight: 600; min-width: 90px; }
.cwpg .cwpg-body { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.cwpg .cwpg-controls { width: 210px; display: flex; flex-direction: column; gap: 9px; }
.cwpg .cwpg-field { display: flex; flex-direction: column; gap: 3px; }
.cwpg .cwpg-field > span:first-child { font-weight: 600; color: #444; }
.cwpg .cwpg-inline { display: flex; align-items: center; gap: 6px; }
.cwpg .cwpg-inline input { flex: 1; min-width: 0; }
.cwpg .cwpg-value { font-variant-numeric: tabular-nums; width: 34px; }
.cwpg .cwpg-layers { display: flex; flex-direction: column; gap: 4px; }
.cwpg .cwpg-row { display: flex; align-items: center; gap: 6px; }
.cwpg .cwpg-row button { padding: 0 8px; }
.cwpg .cwpg-count { min-width: 14px; text-align: center; font-variant-numeric: tabular-nums; }
.cwpg .cwpg-dim { color: #777; }
.cwpg .cwpg-row .cwpg-dim:first-child { width: 48px; }
.cwpg .cwpg-note { color: #555; }
.cwpg .cwpg-figure { margin: 0; display: flex; flex-direction: column; gap: 4px; }
.cwpg .cwpg-figure figcaption { color: #555; font-size: 12px; max-width: 340px; }
.cwpg .cwpg-side { width: 260px; }
.cwpg .cwpg-title { font-weight: 600; color: #444; }
.cwpg canvas.cwpg-map { border: 1px solid #ccc; border-radius: 4px; }
.cwpg canvas.cwpg-loss { border: 1px solid #eee; border-radius: 4px; }
.cwpg .cwpg-c0 { color: #c46d0b; }
.cwpg .cwpg-c1 { color: #0877bd; }
.cwpg .cwpg-message { color: #b91c1c; font-weight: 600; max-width: 260px; }
`;

/**
 * An interactive neural-network playground: a small network trained by gradient descent on 2-D points, with its
 * decision regions and loss curve drawn as it learns. Show it with emit(), or let tslab display the returned value.
 *
 *     emit(playground({ dataset: "linear", hidden: [] }));                          // a single neuron
 *     emit(playground({ dataset: "spiral", hidden: [8, 8, 8], activation: "silu" }));
 */
export function playground(options?: PlaygroundOptions): Figure {
  const o = resolvePlaygroundOptions(options);
  const id = `cwpg-${randomUUID()}`;
  const plain =
    `Neural-network playground (open in a notebook to use it): dataset ${o.dataset}, ` +
    `hidden layers [${o.hidden.join(", ")}]${o.hidden.length === 0 ? " (a single neuron)" : ""}, ${o.activation}, ` +
    `learning rate ${o.learningRate}, ${o.points} points, noise ${o.noise}, seed ${o.seed}`;
  const html =
    widgetHtml("playground", o, {
      id,
      className: "cwpg-root",
      placeholderHtml: "Loading the neural-network playground… (if this text stays, scripts are off here: trust the notebook or run the cell)",
    }) + `<style>${CSS}</style>`;
  return new Figure({ "text/plain": plain, "text/html": html });
}
