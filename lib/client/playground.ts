// Neural-network playground: a small multilayer perceptron trained by plain gradient descent on 2-D points, drawn
// live. This entry holds the controls, the state and the training loop; the network is playground/nn.ts, the data
// playground/dataset.ts, the drawing playground/heatmap.ts and loss-chart.ts. Bundled into one script that
// src/widgets/playground.ts inlines into the cell's HTML output, after validating the options, to call
// mountPlayground(root, options).
//
// State the tests (and anyone curious) can read: the root element's data-epoch, data-loss, data-playing,
// data-dataset; buttons carry data-action="play|pause|step|reset|add-layer|remove-layer|add-neuron|remove-neuron",
// selects and inputs data-control="dataset|noise|activation|learning-rate|speed".
import type { PlaygroundActivation as ActivationName, PlaygroundDataset as DatasetName, PlaygroundSettings } from "../shared/widget-data.js";
import { makePoints } from "./playground/dataset.js";
import { el } from "./playground/dom.js";
import { decisionMap } from "./playground/heatmap.js";
import { lossChart } from "./playground/loss-chart.js";
import { makeNet, meanLoss, parameterCount, trainEpoch } from "./playground/nn.js";

const DATASETS: [DatasetName, string][] = [
  ["linear", "Two blobs (linearly separable)"],
  ["xor", "XOR (four quadrants)"],
  ["circle", "Circle (disc inside a ring)"],
  ["spiral", "Spiral (two arms)"],
];
const ACTIVATIONS: [ActivationName, string][] = [
  ["relu", "ReLU"],
  ["silu", "SiLU"],
  ["sigmoid", "Sigmoid"],
];
const RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const SPEEDS = [1, 3, 10, 50];
const MAX_LAYERS = 6;
const MAX_NEURONS = 8;
const PLOT = 340; // decision map size in CSS pixels
const LOSS_W = 260;
const LOSS_H = 170;

/** Builds the playground in `root` and starts it (training too, with options.autoplay). */
export function mountPlayground(root: HTMLElement, options: PlaygroundSettings): void {
  // ---------------------------------------------------------------------------------------------------------------
  // State
  const state = {
    dataset: options.dataset,
    hidden: options.hidden.slice(),
    activation: options.activation,
    learningRate: options.learningRate,
    noise: options.noise,
    speed: 3, // epochs per animation frame while playing (about 60 frames a second)
    playing: false,
    epoch: 0,
    losses: [] as number[], // losses[e] = mean loss after e epochs
    diverged: false, // the loss is not a finite number: training stops
    jumped: false, // the loss went above 5x its starting value since the last reset
  };
  let points = makePoints(state.dataset, options.points, state.noise, options.seed);
  let net = makeNet(state.hidden, state.activation, options.seed);

  // ---------------------------------------------------------------------------------------------------------------
  // DOM
  function select(control: string, items: [string, string][], value: string): HTMLSelectElement {
    const s = el("select", { "data-control": control });
    for (const [v, text] of items) s.append(el("option", { value: v }, text));
    s.value = value;
    return s;
  }
  function field(label: string, control: HTMLElement): HTMLElement {
    return el("label", { class: "cwpg-field" }, el("span", {}, label), control);
  }
  const btnPlay = el("button", { type: "button", "data-action": "play", class: "cwpg-primary" }, "▶ Play");
  const btnPause = el("button", { type: "button", "data-action": "pause" }, "❚❚ Pause");
  const btnStep = el("button", { type: "button", "data-action": "step", title: "Train one epoch" }, "Step");
  const btnReset = el("button", { type: "button", "data-action": "reset", title: "Back to epoch 0 with the same (seeded) initial weights" }, "Reset");
  const epochText = el("span", { class: "cwpg-stat" });
  const lossText = el("span", { class: "cwpg-stat" });
  const message = el("div", { class: "cwpg-message", role: "status" });

  const rates = RATES.includes(state.learningRate) ? RATES : [...RATES, state.learningRate].sort((p, q) => p - q);
  const datasetSelect = select("dataset", DATASETS, state.dataset);
  const noiseInput = el("input", { type: "range", min: "0", max: "1", step: "0.05", "data-control": "noise" });
  noiseInput.value = String(state.noise);
  const noiseValue = el("span", { class: "cwpg-value" });
  const activationSelect = select("activation", ACTIVATIONS, state.activation);
  const rateSelect = select("learning-rate", rates.map((r) => [String(r), String(r)]), String(state.learningRate));
  const speedSelect = select("speed", SPEEDS.map((s) => [String(s), `${s} epoch${s === 1 ? "" : "s"} per frame`]), String(state.speed));
  const layersBox = el("div", { class: "cwpg-layers" });
  const summary = el("div", { class: "cwpg-note" });

  const map = decisionMap(PLOT);
  const lossCurve = lossChart(LOSS_W, LOSS_H);

  root.textContent = "";
  root.classList.add("cwpg");
  root.append(
    el("div", { class: "cwpg-toolbar" }, btnPlay, btnPause, btnStep, btnReset, epochText, lossText),
    el(
      "div",
      { class: "cwpg-body" },
      el(
        "div",
        { class: "cwpg-controls" },
        field("Data", datasetSelect),
        field("Noise", el("span", { class: "cwpg-inline" }, noiseInput, noiseValue)),
        el("div", { class: "cwpg-field" }, el("span", {}, "Hidden layers"), layersBox),
        field("Activation (hidden layers)", activationSelect),
        field("Learning rate", rateSelect),
        field("Speed", speedSelect),
        summary,
      ),
      el(
        "figure",
        { class: "cwpg-figure" },
        map.canvas,
        el("figcaption", {}, "Colour: the network's probability of ", el("b", { class: "cwpg-c1" }, "blue"), " (1) vs ",
          el("b", { class: "cwpg-c0" }, "orange"), " (0); dark line: where it is 0.5. Dots: the training points."),
      ),
      el(
        "figure",
        { class: "cwpg-figure cwpg-side" },
        el("div", { class: "cwpg-title" }, "Training loss (mean cross-entropy)"),
        lossCurve.canvas,
        el("figcaption", {}, "One step = one epoch: the gradient of the mean loss over all ", String(options.points),
          " points, then one update of every weight."),
        message,
      ),
    ),
  );

  function renderLayers(): void {
    layersBox.textContent = "";
    const count = state.hidden.length;
    const minus = el("button", { type: "button", "data-action": "remove-layer", title: "Remove a hidden layer" }, "−");
    const plus = el("button", { type: "button", "data-action": "add-layer", title: "Add a hidden layer" }, "+");
    minus.disabled = count === 0;
    plus.disabled = count >= MAX_LAYERS;
    layersBox.append(el("div", { class: "cwpg-row" }, minus, el("span", { class: "cwpg-count" }, String(count)), plus,
      el("span", { class: "cwpg-dim" }, count === 0 ? "a single neuron" : "")));
    state.hidden.forEach((n, i) => {
      const m = el("button", { type: "button", "data-action": "remove-neuron", "data-layer": String(i), title: "Fewer neurons" }, "−");
      const p = el("button", { type: "button", "data-action": "add-neuron", "data-layer": String(i), title: "More neurons" }, "+");
      m.disabled = n <= 1;
      p.disabled = n >= MAX_NEURONS;
      layersBox.append(el("div", { class: "cwpg-row" }, el("span", { class: "cwpg-dim" }, `layer ${i + 1}`), m,
        el("span", { class: "cwpg-count" }, String(n)), p, el("span", { class: "cwpg-dim" }, n === 1 ? "neuron" : "neurons")));
    });
    summary.textContent = `Network: ${net.sizes.join(" → ")} (${parameterCount(net)} weights and biases)`;
  }

  function render(): void {
    const loss = state.losses[state.losses.length - 1] ?? NaN;
    root.dataset.epoch = String(state.epoch);
    root.dataset.loss = String(loss);
    root.dataset.playing = String(state.playing);
    root.dataset.dataset = state.dataset;
    epochText.textContent = `Epoch ${state.epoch}`;
    lossText.textContent = `Loss ${Number.isFinite(loss) ? loss.toFixed(4) : "—"}`;
    btnPlay.disabled = state.playing || state.diverged;
    btnPause.disabled = !state.playing;
    btnStep.disabled = state.playing || state.diverged;
    noiseValue.textContent = state.noise.toFixed(2);
    message.textContent = state.diverged
      ? "The loss blew up (not a finite number): lower the learning rate and press Reset."
      : state.jumped
        ? "The loss jumped far above where it started: the learning rate is probably too high."
        : "";
    map.draw(net, points);
    lossCurve.draw(state.losses);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Training loop and controls
  let frame = 0;
  function trainOne(): void {
    trainEpoch(net, points, state.learningRate);
    state.epoch++;
    const loss = meanLoss(net, points);
    state.losses.push(loss);
    if (loss > 5 * state.losses[0]!) state.jumped = true;
    if (!Number.isFinite(loss)) {
      state.diverged = true;
      state.playing = false;
    }
  }
  function tick(): void {
    frame = 0;
    if (!state.playing) return;
    if (!root.isConnected) {
      // the output was cleared or the cell re-run: stop quietly
      state.playing = false;
      return;
    }
    for (let i = 0; i < state.speed && state.playing; i++) trainOne();
    render();
    if (state.playing) frame = requestAnimationFrame(tick);
  }
  function play(): void {
    if (state.playing || state.diverged) return;
    state.playing = true;
    render();
    frame = requestAnimationFrame(tick);
  }
  function pause(): void {
    state.playing = false;
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    render();
  }
  /** Stops training and starts again from epoch 0 with fresh (seeded) weights for the current architecture. */
  function reset(): void {
    state.playing = false;
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    net = makeNet(state.hidden, state.activation, options.seed);
    state.epoch = 0;
    state.diverged = false;
    state.jumped = false;
    state.losses = [meanLoss(net, points)];
    renderLayers();
    render();
  }
  function regenerate(): void {
    points = makePoints(state.dataset, options.points, state.noise, options.seed);
    reset();
  }

  btnPlay.addEventListener("click", play);
  btnPause.addEventListener("click", pause);
  btnStep.addEventListener("click", () => {
    if (state.playing || state.diverged) return;
    trainOne();
    render();
  });
  btnReset.addEventListener("click", reset);
  datasetSelect.addEventListener("change", () => {
    state.dataset = datasetSelect.value as DatasetName;
    regenerate();
  });
  noiseInput.addEventListener("input", () => {
    state.noise = Number(noiseInput.value);
    regenerate();
  });
  activationSelect.addEventListener("change", () => {
    state.activation = activationSelect.value as ActivationName;
    reset();
  });
  rateSelect.addEventListener("change", () => {
    state.learningRate = Number(rateSelect.value); // takes effect on the next step; training goes on
  });
  speedSelect.addEventListener("change", () => {
    state.speed = Number(speedSelect.value);
  });
  layersBox.addEventListener("click", (event) => {
    const button = (event.target as Element).closest("button");
    if (!button || button.disabled) return;
    const action = button.getAttribute("data-action");
    const layer = Number(button.getAttribute("data-layer"));
    if (action === "add-layer" && state.hidden.length < MAX_LAYERS) state.hidden.push(state.hidden[state.hidden.length - 1] ?? 4);
    else if (action === "remove-layer") state.hidden.pop();
    else if (action === "add-neuron" && state.hidden[layer]! < MAX_NEURONS) state.hidden[layer]!++;
    else if (action === "remove-neuron" && state.hidden[layer]! > 1) state.hidden[layer]!--;
    else return;
    reset();
  });

  reset();
  if (options.autoplay) play();
}
