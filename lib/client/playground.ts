// Neural-network playground: a small multilayer perceptron trained by plain gradient descent on 2-D points, drawn
// live. Inlined into a notebook cell's HTML output by src/widgets/playground.ts, which validates the options and
// calls mountPlayground(root, options).
//
// State the tests (and anyone curious) can read: the root element's data-epoch, data-loss, data-playing,
// data-dataset; buttons carry data-action="play|pause|step|reset|add-layer|remove-layer|add-neuron|remove-neuron",
// selects and inputs data-control="dataset|noise|activation|learning-rate|speed".
import type { PlaygroundActivation as ActivationName, PlaygroundDataset as DatasetName, PlaygroundSettings } from "../shared/widget-data.js";

export function mountPlayground(root: HTMLElement, options: PlaygroundSettings): void {
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
  const EXTENT = 1.2; // the plot shows [-EXTENT, EXTENT]²
  const GRID = 50; // cells per side of the decision map
  const PLOT = 340; // decision map size in CSS pixels
  const LOSS_W = 260;
  const LOSS_H = 170;
  const ORANGE: [number, number, number] = [245, 147, 34]; // class 0
  const BLUE: [number, number, number] = [8, 119, 189]; // class 1

  // ---------------------------------------------------------------------------------------------------------------
  // Seeded random numbers (mulberry32) and Gaussian samples (Box-Muller): the same seed gives the same points and
  // the same initial weights.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function gaussian(rand: () => number): number {
    let u = 0;
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Data: n points with coordinates about in [-1, 1] and labels 0 / 1, half of each.
  interface Data {
    x: Float64Array;
    y: Float64Array;
    label: Float64Array;
  }
  function makeData(name: DatasetName, n: number, noise: number, seed: number): Data {
    const rand = rng(seed * 7919 + DATASETS.findIndex(([d]) => d === name) + 1);
    const spread = 0.25 * noise; // standard deviation of the jitter added to each coordinate
    const data: Data = { x: new Float64Array(n), y: new Float64Array(n), label: new Float64Array(n) };
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
      const clamp = (v: number) => Math.max(-EXTENT + 0.05, Math.min(EXTENT - 0.05, v));
      data.x[i] = clamp(px + spread * gaussian(rand));
      data.y[i] = clamp(py + spread * gaussian(rand));
      data.label[i] = label;
    }
    return data;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The network: sizes = [2, ...hidden, 1]. Layer l maps sizes[l] inputs to sizes[l+1] outputs with weights W[l]
  // (row-major, sizes[l+1] rows of sizes[l]) and biases b[l]. Hidden layers use the chosen activation; the output
  // neuron uses a sigmoid, so the network outputs p = P(label 1 | point). Loss: mean binary cross-entropy.
  interface Net {
    sizes: number[];
    activation: ActivationName;
    W: Float64Array[];
    b: Float64Array[];
    // work buffers for one point: a[l] activations entering layer l (a[0] is the point), z[l] pre-activations of
    // layer l, d[l] dLoss/dz[l], and gradient sums gW, gb over the data set
    a: Float64Array[];
    z: Float64Array[];
    d: Float64Array[];
    gW: Float64Array[];
    gb: Float64Array[];
  }
  function makeNet(hidden: number[], activation: ActivationName, seed: number): Net {
    const rand = rng(seed * 104729 + 17);
    const sizes = [2, ...hidden, 1];
    const net: Net = { sizes, activation, W: [], b: [], a: [new Float64Array(2)], z: [], d: [], gW: [], gb: [] };
    for (let l = 0; l + 1 < sizes.length; l++) {
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      const last = l + 2 === sizes.length;
      // He initialisation for ReLU/SiLU layers, LeCun (variance 1/fan-in) for sigmoids
      const scale = Math.sqrt((!last && activation !== "sigmoid" ? 2 : 1) / nIn);
      const W = new Float64Array(nIn * nOut);
      for (let k = 0; k < W.length; k++) W[k] = scale * gaussian(rand);
      net.W.push(W);
      net.b.push(new Float64Array(nOut));
      net.a.push(new Float64Array(nOut));
      net.z.push(new Float64Array(nOut));
      net.d.push(new Float64Array(nOut));
      net.gW.push(new Float64Array(nIn * nOut));
      net.gb.push(new Float64Array(nOut));
    }
    return net;
  }
  function sigmoid(s: number): number {
    return 1 / (1 + Math.exp(-s));
  }
  function activate(kind: ActivationName, s: number): number {
    if (kind === "relu") return s > 0 ? s : 0;
    if (kind === "silu") return s * sigmoid(s);
    return sigmoid(s);
  }
  /** The activation's derivative at pre-activation s. */
  function slope(kind: ActivationName, s: number): number {
    if (kind === "relu") return s > 0 ? 1 : 0;
    const g = sigmoid(s);
    if (kind === "silu") return g + s * g * (1 - g);
    return g * (1 - g);
  }
  /** Runs one point through the network, filling a and z; returns the output logit z (p = sigmoid(z)). */
  function forward(net: Net, px: number, py: number): number {
    const L = net.W.length;
    const a0 = net.a[0]!;
    a0[0] = px;
    a0[1] = py;
    for (let l = 0; l < L; l++) {
      const nIn = net.sizes[l]!;
      const nOut = net.sizes[l + 1]!;
      const W = net.W[l]!;
      const b = net.b[l]!;
      const input = net.a[l]!;
      const z = net.z[l]!;
      const out = net.a[l + 1]!;
      for (let j = 0; j < nOut; j++) {
        let s = b[j]!;
        for (let i = 0; i < nIn; i++) s += W[j * nIn + i]! * input[i]!;
        z[j] = s;
        out[j] = l === L - 1 ? sigmoid(s) : activate(net.activation, s);
      }
    }
    return net.z[L - 1]![0]!;
  }
  /** Binary cross-entropy of logit z against label y, computed stably: -y log σ(z) - (1-y) log(1-σ(z)). */
  function bce(z: number, y: number): number {
    return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
  }
  function meanLoss(net: Net, data: Data): number {
    let sum = 0;
    for (let k = 0; k < data.x.length; k++) sum += bce(forward(net, data.x[k]!, data.y[k]!), data.label[k]!);
    return sum / data.x.length;
  }
  /** One epoch = one step of full-batch gradient descent: the gradient of the mean loss over all points, then
   *  W -= learningRate * gradient. */
  function trainEpoch(net: Net, data: Data, learningRate: number): void {
    const L = net.W.length;
    for (let l = 0; l < L; l++) {
      net.gW[l]!.fill(0);
      net.gb[l]!.fill(0);
    }
    const n = data.x.length;
    for (let k = 0; k < n; k++) {
      forward(net, data.x[k]!, data.y[k]!);
      // sigmoid output + cross-entropy: dLoss/dz = p - y
      net.d[L - 1]![0] = net.a[L]![0]! - data.label[k]!;
      for (let l = L - 1; l >= 0; l--) {
        const nIn = net.sizes[l]!;
        const nOut = net.sizes[l + 1]!;
        const W = net.W[l]!;
        const d = net.d[l]!;
        const input = net.a[l]!;
        const gW = net.gW[l]!;
        const gb = net.gb[l]!;
        for (let j = 0; j < nOut; j++) {
          const dj = d[j]!;
          gb[j] = gb[j]! + dj;
          for (let i = 0; i < nIn; i++) gW[j * nIn + i] = gW[j * nIn + i]! + dj * input[i]!;
        }
        if (l > 0) {
          // back through W[l] and the previous layer's activation
          const prevD = net.d[l - 1]!;
          const prevZ = net.z[l - 1]!;
          for (let i = 0; i < nIn; i++) {
            let s = 0;
            for (let j = 0; j < nOut; j++) s += W[j * nIn + i]! * d[j]!;
            prevD[i] = s * slope(net.activation, prevZ[i]!);
          }
        }
      }
    }
    const step = learningRate / n;
    for (let l = 0; l < L; l++) {
      const W = net.W[l]!;
      const b = net.b[l]!;
      const gW = net.gW[l]!;
      const gb = net.gb[l]!;
      for (let k = 0; k < W.length; k++) W[k] = W[k]! - step * gW[k]!;
      for (let k = 0; k < b.length; k++) b[k] = b[k]! - step * gb[k]!;
    }
  }

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
  let data = makeData(state.dataset, options.points, state.noise, options.seed);
  let net = makeNet(state.hidden, state.activation, options.seed);

  // ---------------------------------------------------------------------------------------------------------------
  // DOM
  function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Record<string, string> = {},
    ...children: (Node | string)[]
  ): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }
  function select(control: string, items: [string, string][], value: string): HTMLSelectElement {
    const s = el("select", { "data-control": control });
    for (const [v, text] of items) s.append(el("option", { value: v }, text));
    s.value = value;
    return s;
  }
  function field(label: string, control: HTMLElement): HTMLElement {
    return el("label", { class: "cwpg-field" }, el("span", {}, label), control);
  }
  function canvas(w: number, h: number, cls: string): [HTMLCanvasElement, CanvasRenderingContext2D] {
    const c = el("canvas", { class: cls });
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    c.style.width = `${w}px`;
    c.style.height = `${h}px`;
    const ctx = c.getContext("2d")!;
    ctx.scale(dpr, dpr);
    return [c, ctx];
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

  const [plotCanvas, plot] = canvas(PLOT, PLOT, "cwpg-map");
  plotCanvas.setAttribute("data-view", "decision");
  const [lossCanvas, lossCtx] = canvas(LOSS_W, LOSS_H, "cwpg-loss");
  lossCanvas.setAttribute("data-view", "loss");
  const cells = el("canvas");
  cells.width = GRID;
  cells.height = GRID;
  const cellsCtx = cells.getContext("2d")!;
  const cellsImage = cellsCtx.createImageData(GRID, GRID);

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
        plotCanvas,
        el("figcaption", {}, "Colour: the network's probability of ", el("b", { class: "cwpg-c1" }, "blue"), " (1) vs ",
          el("b", { class: "cwpg-c0" }, "orange"), " (0); dark line: where it is 0.5. Dots: the training points."),
      ),
      el(
        "figure",
        { class: "cwpg-figure cwpg-side" },
        el("div", { class: "cwpg-title" }, "Training loss (mean cross-entropy)"),
        lossCanvas,
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
    let params = 0;
    for (let l = 0; l + 1 < net.sizes.length; l++) params += (net.sizes[l]! + 1) * net.sizes[l + 1]!;
    summary.textContent = `Network: ${net.sizes.join(" → ")} (${params} weights and biases)`;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Drawing
  function toPx(v: number): number {
    return ((v + EXTENT) / (2 * EXTENT)) * PLOT;
  }
  function tint(p: number): [number, number, number] {
    // white at p = 0.5, towards blue as p -> 1, towards orange as p -> 0; light enough for the dots to stand out
    const c = p >= 0.5 ? BLUE : ORANGE;
    const k = 0.7 * Math.min(1, Math.abs(p - 0.5) * 2);
    return [255 + (c[0] - 255) * k, 255 + (c[1] - 255) * k, 255 + (c[2] - 255) * k];
  }
  function drawDecision(): void {
    // probabilities at the (GRID+1)² cell corners; row 0 is the top (y = +EXTENT)
    const side = GRID + 1;
    const p = new Float64Array(side * side);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        p[r * side + c] = sigmoid(forward(net, -EXTENT + (2 * EXTENT * c) / GRID, EXTENT - (2 * EXTENT * r) / GRID));
      }
    }
    const at = (r: number, c: number) => p[r * side + c]!;
    const px = cellsImage.data;
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const [R, G, B] = tint((at(r, c) + at(r, c + 1) + at(r + 1, c) + at(r + 1, c + 1)) / 4);
        const o = 4 * (r * GRID + c);
        px[o] = R;
        px[o + 1] = G;
        px[o + 2] = B;
        px[o + 3] = 255;
      }
    }
    cellsCtx.putImageData(cellsImage, 0, 0);
    plot.imageSmoothingEnabled = true;
    plot.drawImage(cells, 0, 0, PLOT, PLOT);

    // the p = 0.5 boundary, by marching squares with linear interpolation along the cell edges
    const cell = PLOT / GRID;
    plot.beginPath();
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const tl = at(r, c);
        const tr = at(r, c + 1);
        const br = at(r + 1, c + 1);
        const bl = at(r + 1, c);
        const x0 = c * cell;
        const y0 = r * cell;
        const cut = (a: number, b: number) => (0.5 - a) / (b - a);
        // crossing points on the top, right, bottom and left edges (null where the edge does not cross 0.5)
        const top = tl >= 0.5 !== tr >= 0.5 ? [x0 + cut(tl, tr) * cell, y0] : null;
        const right = tr >= 0.5 !== br >= 0.5 ? [x0 + cell, y0 + cut(tr, br) * cell] : null;
        const bottom = bl >= 0.5 !== br >= 0.5 ? [x0 + cut(bl, br) * cell, y0 + cell] : null;
        const left = tl >= 0.5 !== bl >= 0.5 ? [x0, y0 + cut(tl, bl) * cell] : null;
        const found = [top, right, bottom, left].filter((q): q is number[] => q !== null);
        const segment = (a: number[] | null, b: number[] | null) => {
          if (!a || !b) return;
          plot.moveTo(a[0]!, a[1]!);
          plot.lineTo(b[0]!, b[1]!);
        };
        if (found.length === 2) segment(found[0]!, found[1]!);
        else if (found.length === 4) {
          // saddle: the centre decides which corners are joined
          const centreSide = (tl + tr + br + bl) / 4 >= 0.5;
          if (centreSide === tl >= 0.5) {
            segment(top, right);
            segment(bottom, left);
          } else {
            segment(top, left);
            segment(right, bottom);
          }
        }
      }
    }
    plot.strokeStyle = "rgba(30, 30, 30, 0.85)";
    plot.lineWidth = 2;
    plot.stroke();

    // axes through the origin, faint
    plot.strokeStyle = "rgba(0, 0, 0, 0.12)";
    plot.lineWidth = 1;
    plot.beginPath();
    plot.moveTo(toPx(0), 0);
    plot.lineTo(toPx(0), PLOT);
    plot.moveTo(0, toPx(0));
    plot.lineTo(PLOT, toPx(0));
    plot.stroke();

    // the training points on top
    for (let k = 0; k < data.x.length; k++) {
      const c = data.label[k] ? BLUE : ORANGE;
      plot.beginPath();
      plot.arc(toPx(data.x[k]!), PLOT - toPx(data.y[k]!), 3.5, 0, 2 * Math.PI);
      plot.fillStyle = `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
      plot.fill();
      plot.strokeStyle = "white";
      plot.lineWidth = 1;
      plot.stroke();
    }
  }
  function drawLoss(): void {
    const ctx = lossCtx;
    const pad = { left: 36, right: 8, top: 8, bottom: 22 };
    const w = LOSS_W - pad.left - pad.right;
    const h = LOSS_H - pad.top - pad.bottom;
    ctx.clearRect(0, 0, LOSS_W, LOSS_H);
    // the y axis runs from 0 to the starting loss, or higher if the recent losses are higher (brief spikes are clipped)
    let top = Math.max(0.1, 1.05 * (state.losses[0] ?? 0));
    for (const v of state.losses.slice(-50)) if (Number.isFinite(v) && v > top) top = v;
    const lastEpoch = Math.max(10, state.losses.length - 1);
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = "#666";
    ctx.strokeStyle = "#ddd";
    ctx.lineWidth = 1;
    ctx.textBaseline = "middle";
    ctx.textAlign = "right";
    for (const f of [0, 0.5, 1]) {
      const y = pad.top + h - f * h;
      ctx.beginPath();
      ctx.moveTo(pad.left, y);
      ctx.lineTo(pad.left + w, y);
      ctx.stroke();
      const v = f * top;
      ctx.fillText(v === 0 ? "0" : top < 10 ? v.toFixed(2) : top < 1000 ? v.toFixed(0) : v.toExponential(0).replace("e+", "e"), pad.left - 4, y);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText("0", pad.left, pad.top + h + 5);
    ctx.fillText(`epoch ${lastEpoch}`, pad.left + w - 24, pad.top + h + 5);
    if (state.losses.length === 0) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.left, pad.top, w, h);
    ctx.clip();
    ctx.beginPath();
    // at most about one point per pixel
    const stride = Math.max(1, Math.floor(state.losses.length / w));
    for (let e = 0; e < state.losses.length; e += stride) {
      const v = state.losses[e]!;
      const x = pad.left + (e / lastEpoch) * w;
      const y = pad.top + h - (Math.min(Number.isFinite(v) ? v : top, top) / top) * h;
      if (e === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    const lastE = state.losses.length - 1;
    const lastV = state.losses[lastE]!;
    ctx.lineTo(pad.left + (lastE / lastEpoch) * w, pad.top + h - (Math.min(Number.isFinite(lastV) ? lastV : top, top) / top) * h);
    ctx.strokeStyle = "#c2410c";
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.restore();
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
    drawDecision();
    drawLoss();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Training loop and controls
  let frame = 0;
  function trainOne(): void {
    trainEpoch(net, data, state.learningRate);
    state.epoch++;
    const loss = meanLoss(net, data);
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
    state.losses = [meanLoss(net, data)];
    renderLayers();
    render();
  }
  function regenerate(): void {
    data = makeData(state.dataset, options.points, state.noise, options.seed);
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
