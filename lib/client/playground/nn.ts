// The playground's network: a multilayer perceptron on 2-D points, trained by full-batch gradient descent on
// binary cross-entropy. sizes = [2, ...hidden, 1]; layer l maps sizes[l] inputs to sizes[l+1] outputs with weights
// W[l] (row-major: sizes[l+1] rows of sizes[l]) and biases b[l]. Hidden layers use the chosen activation, the output
// neuron a sigmoid, so the network gives p = P(label 1 | point).
import type { PlaygroundActivation } from "../../shared/widget-data.js";
import type { Points } from "./dataset.js";
import { gaussian, rng } from "./random.js";

export interface Net {
  sizes: number[];
  activation: PlaygroundActivation;
  W: Float64Array[];
  b: Float64Array[];
  /** After gradient(): the gradient of the mean loss with respect to W[l] and b[l]. */
  gW: Float64Array[];
  gb: Float64Array[];
  // work buffers for one point: a[l] activations entering layer l (a[0] is the point), z[l] pre-activations of
  // layer l, d[l] dLoss/dz[l]
  a: Float64Array[];
  z: Float64Array[];
  d: Float64Array[];
}

/** A network with seeded random weights (He initialisation for ReLU/SiLU layers, LeCun for sigmoids) and zero biases. */
export function makeNet(hidden: readonly number[], activation: PlaygroundActivation, seed: number): Net {
  const rand = rng(seed * 104729 + 17);
  const sizes = [2, ...hidden, 1];
  const net: Net = { sizes, activation, W: [], b: [], gW: [], gb: [], a: [new Float64Array(2)], z: [], d: [] };
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l]!;
    const nOut = sizes[l + 1]!;
    const last = l + 2 === sizes.length;
    const scale = Math.sqrt((!last && activation !== "sigmoid" ? 2 : 1) / nIn);
    const W = new Float64Array(nIn * nOut);
    for (let k = 0; k < W.length; k++) W[k] = scale * gaussian(rand);
    net.W.push(W);
    net.b.push(new Float64Array(nOut));
    net.gW.push(new Float64Array(nIn * nOut));
    net.gb.push(new Float64Array(nOut));
    net.a.push(new Float64Array(nOut));
    net.z.push(new Float64Array(nOut));
    net.d.push(new Float64Array(nOut));
  }
  return net;
}

/** How many weights and biases the network has. */
export function parameterCount(net: Net): number {
  return net.W.reduce((n, W, l) => n + W.length + net.b[l]!.length, 0);
}

export function sigmoid(s: number): number {
  return 1 / (1 + Math.exp(-s));
}

export function activate(kind: PlaygroundActivation, s: number): number {
  if (kind === "relu") return s > 0 ? s : 0;
  if (kind === "silu") return s * sigmoid(s);
  return sigmoid(s);
}

/** The activation's derivative at pre-activation s. */
export function slope(kind: PlaygroundActivation, s: number): number {
  if (kind === "relu") return s > 0 ? 1 : 0;
  const g = sigmoid(s);
  if (kind === "silu") return g + s * g * (1 - g);
  return g * (1 - g);
}

/** Runs one point through the network, filling its a and z; returns the output logit z (p = sigmoid(z)). */
export function forward(net: Net, px: number, py: number): number {
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
export function bce(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/** The mean binary cross-entropy over the points. */
export function meanLoss(net: Net, points: Points): number {
  let sum = 0;
  for (let k = 0; k < points.x.length; k++) sum += bce(forward(net, points.x[k]!, points.y[k]!), points.label[k]!);
  return sum / points.x.length;
}

/** Fills net.gW and net.gb with the gradient of meanLoss(net, points), by backpropagation. */
export function gradient(net: Net, points: Points): void {
  const L = net.W.length;
  for (let l = 0; l < L; l++) {
    net.gW[l]!.fill(0);
    net.gb[l]!.fill(0);
  }
  const n = points.x.length;
  for (let k = 0; k < n; k++) {
    forward(net, points.x[k]!, points.y[k]!);
    // sigmoid output + cross-entropy: dLoss/dz = p - y
    net.d[L - 1]![0] = net.a[L]![0]! - points.label[k]!;
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
  for (let l = 0; l < L; l++) {
    for (const g of [net.gW[l]!, net.gb[l]!]) for (let k = 0; k < g.length; k++) g[k] = g[k]! / n;
  }
}

/** One epoch: one step of full-batch gradient descent, W -= learningRate × the gradient of the mean loss. */
export function trainEpoch(net: Net, points: Points, learningRate: number): void {
  gradient(net, points);
  for (let l = 0; l < net.W.length; l++) {
    for (const [w, g] of [[net.W[l]!, net.gW[l]!], [net.b[l]!, net.gb[l]!]] as const) {
      for (let k = 0; k < w.length; k++) w[k] = w[k]! - learningRate * g[k]!;
    }
  }
}
