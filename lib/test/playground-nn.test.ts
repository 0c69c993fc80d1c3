// The playground's network and data sets, in Node: the maths the browser widget runs, without a browser.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EXTENT, type Points, makePoints } from "../client/playground/dataset.js";
import { type Net, bce, forward, gradient, makeNet, meanLoss, parameterCount, sigmoid, trainEpoch } from "../client/playground/nn.js";
import type { PlaygroundActivation, PlaygroundDataset } from "../shared/widget-data.js";

const DATASETS: PlaygroundDataset[] = ["linear", "xor", "circle", "spiral"];
const ACTIVATIONS: PlaygroundActivation[] = ["sigmoid", "relu", "silu"];

function accuracy(net: Net, points: Points): number {
  let right = 0;
  for (let k = 0; k < points.x.length; k++) right += Number((forward(net, points.x[k]!, points.y[k]!) > 0) === (points.label[k] === 1));
  return right / points.x.length;
}

function train(net: Net, points: Points, learningRate: number, epochs: number): number[] {
  const losses = [meanLoss(net, points)];
  for (let e = 0; e < epochs; e++) {
    trainEpoch(net, points, learningRate);
    losses.push(meanLoss(net, points));
  }
  return losses;
}

test("forward: weights set by hand give the logit computed by hand", () => {
  const single = makeNet([], "relu", 1);
  single.W[0]!.set([1, -2]);
  single.b[0]!.set([0.5]);
  assert.ok(Math.abs(forward(single, 0.3, 0.1) - (0.3 - 0.2 + 0.5)) < 1e-12);

  const net = makeNet([2], "relu", 1);
  net.W[0]!.set([1, 0, 0, 1]); // row j holds neuron j's weights: neuron 0 sees x, neuron 1 sees y
  net.b[0]!.set([0, -1]);
  net.W[1]!.set([2, 3]);
  net.b[1]!.set([0.25]);
  // hidden: relu(0.5) = 0.5, relu(0.4 - 1) = 0; output logit 2·0.5 + 3·0 + 0.25
  assert.ok(Math.abs(forward(net, 0.5, 0.4) - 1.25) < 1e-12);
  assert.ok(Math.abs(net.a[2]![0]! - sigmoid(1.25)) < 1e-12, "the output activation is the sigmoid of the logit");
});

test("bce is the binary cross-entropy of the logit, and stays finite for large logits", () => {
  for (let z = -6; z <= 6; z += 0.75) {
    const p = sigmoid(z);
    assert.ok(Math.abs(bce(z, 1) + Math.log(p)) < 1e-9, `y = 1, z = ${z}`);
    assert.ok(Math.abs(bce(z, 0) + Math.log(1 - p)) < 1e-9, `y = 0, z = ${z}`);
  }
  assert.ok(Math.abs(bce(800, 0) - 800) < 1e-9 && Math.abs(bce(-800, 1) - 800) < 1e-9, "a confident wrong answer costs |z|");
  assert.ok(bce(800, 1) >= 0 && bce(800, 1) < 1e-12 && bce(-800, 0) < 1e-12);
});

test("parameterCount: (inputs + 1) × outputs summed over the layers", () => {
  for (const hidden of [[], [4, 4], [8, 1, 3]]) {
    const sizes = [2, ...hidden, 1];
    let expected = 0;
    for (let l = 0; l + 1 < sizes.length; l++) expected += (sizes[l]! + 1) * sizes[l + 1]!;
    assert.is(parameterCount(makeNet(hidden, "relu", 1)), expected, JSON.stringify(hidden));
  }
  assert.is(parameterCount(makeNet([4, 4], "relu", 1)), 37);
});

test("the backpropagated gradient matches central finite differences of the mean loss, for every activation", () => {
  const points = makePoints("circle", 30, 0.3, 5);
  for (const activation of ACTIVATIONS) {
    const net = makeNet([3, 2], activation, 11);
    // non-zero biases, so that every parameter's derivative is exercised away from the initial symmetry
    net.b.forEach((b, l) => b.forEach((_, j) => (b[j] = 0.1 * (j + 1) - 0.05 * l)));
    gradient(net, points);
    const h = 1e-6;
    let largest = 0;
    let checked = 0;
    for (let l = 0; l < net.W.length; l++) {
      for (const [params, grads, kind] of [[net.W[l]!, net.gW[l]!, "W"], [net.b[l]!, net.gb[l]!, "b"]] as const) {
        for (let k = 0; k < params.length; k++) {
          const saved = params[k]!;
          params[k] = saved + h;
          const up = meanLoss(net, points);
          params[k] = saved - h;
          const down = meanLoss(net, points);
          params[k] = saved;
          const numeric = (up - down) / (2 * h);
          const analytic = grads[k]!;
          assert.ok(Math.abs(analytic - numeric) <= 1e-6 + 1e-4 * Math.abs(numeric), `${activation} ${kind}[${l}][${k}]: backprop ${analytic}, finite differences ${numeric}`);
          largest = Math.max(largest, Math.abs(analytic));
          checked++;
        }
      }
    }
    assert.is(checked, parameterCount(net));
    assert.ok(largest > 1e-3, `${activation}: the gradient is not all (near) zero: largest ${largest}`);
  }
});

test("trainEpoch takes one step of size learningRate against the gradient", () => {
  const points = makePoints("xor", 40, 0.2, 2);
  const net = makeNet([3], "silu", 4);
  gradient(net, points);
  const expected = net.W.map((W, l) => W.map((w, k) => w - 0.5 * net.gW[l]![k]!));
  trainEpoch(net, points, 0.5);
  net.W.forEach((W, l) => W.forEach((w, k) => assert.ok(Math.abs(w - expected[l]![k]!) < 1e-15, `W[${l}][${k}]`)));
});

test("a single neuron on the linearly separable blobs: the loss falls at every epoch, and every point ends up right", () => {
  const points = makePoints("linear", 200, 0, 1);
  const net = makeNet([], "relu", 1);
  const losses = train(net, points, 0.3, 300);
  // logistic regression is convex and, with inputs in [-1.2, 1.2]², smooth enough that this step cannot overshoot
  for (let e = 1; e < losses.length; e++) assert.ok(losses[e]! < losses[e - 1]!, `epoch ${e}: ${losses[e - 1]} -> ${losses[e]}`);
  assert.ok(losses.at(-1)! < losses[0]! / 5, `${losses[0]} -> ${losses.at(-1)}`);
  assert.is(accuracy(net, points), 1);
});

test("XOR: a single neuron cannot learn it, two hidden ReLU layers can", () => {
  const points = makePoints("xor", 200, 0, 1);
  const single = makeNet([], "relu", 1);
  const flat = train(single, points, 0.3, 1000);
  // a linear boundary gets XOR at best about 3/4 right, and its loss stays near ln 2
  assert.ok(flat.at(-1)! > 0.5, `single neuron: ${flat[0]} -> ${flat.at(-1)}`);
  assert.ok(accuracy(single, points) < 0.8, `single neuron accuracy ${accuracy(single, points)}`);

  const deep = makeNet([4, 4], "relu", 1);
  const losses = train(deep, points, 0.3, 1000);
  assert.ok(losses.at(-1)! < 0.2 && losses.at(-1)! < losses[0]! / 3, `4-4 ReLU: ${losses[0]} -> ${losses.at(-1)}`);
  assert.ok(accuracy(deep, points) >= 0.95, `4-4 ReLU accuracy ${accuracy(deep, points)}`);
});

test("seeds: the same seed gives the same weights and points, another seed others", () => {
  assert.equal(makeNet([4, 4], "relu", 3).W, makeNet([4, 4], "relu", 3).W);
  assert.not.equal(makeNet([4, 4], "relu", 3).W, makeNet([4, 4], "relu", 4).W);
  for (const name of DATASETS) {
    assert.equal(makePoints(name, 50, 0.2, 3), makePoints(name, 50, 0.2, 3), name);
    assert.not.equal(makePoints(name, 50, 0.2, 3).x, makePoints(name, 50, 0.2, 4).x, name);
  }
  assert.not.equal(makePoints("linear", 50, 0.2, 3).x, makePoints("circle", 50, 0.2, 3).x, "each data set draws its own numbers");
});

test("data sets: n points in the square, labels 0 or 1, alternating except for XOR", () => {
  const lo = -EXTENT + 0.05;
  const hi = EXTENT - 0.05;
  for (const name of DATASETS) {
    for (const n of [10, 201]) {
      const p = makePoints(name, n, 1, 7);
      assert.equal([p.x.length, p.y.length, p.label.length], [n, n, n], `${name} ${n}`);
      for (let k = 0; k < n; k++) {
        assert.ok(p.label[k] === 0 || p.label[k] === 1, `${name}: label ${p.label[k]}`);
        assert.ok(p.x[k]! >= lo && p.x[k]! <= hi && p.y[k]! >= lo && p.y[k]! <= hi, `${name}: (${p.x[k]}, ${p.y[k]})`);
        if (name !== "xor") assert.is(p.label[k], k % 2, `${name}: label of point ${k}`);
      }
    }
  }
  const xor = makePoints("xor", 1000, 0, 7);
  const ones = xor.label.reduce((a, b) => a + b, 0);
  assert.ok(ones > 400 && ones < 600, `XOR: ${ones} of 1000 points are class 1`);
});

test("data sets without noise have the documented shapes", () => {
  const n = 201;
  const radius = (p: Points, k: number) => Math.hypot(p.x[k]!, p.y[k]!);

  const xor = makePoints("xor", n, 0, 3);
  for (let k = 0; k < n; k++) {
    assert.is(xor.label[k], xor.x[k]! * xor.y[k]! > 0 ? 1 : 0, `xor point ${k}`);
    assert.ok(Math.abs(xor.x[k]!) >= 0.05 && Math.abs(xor.y[k]!) >= 0.05, "XOR points keep off the axes");
  }

  const circle = makePoints("circle", n, 0, 3);
  for (let k = 0; k < n; k++) {
    const r = radius(circle, k);
    if (circle.label[k]) assert.ok(r <= 0.5 + 1e-12, `disc point at radius ${r}`);
    else assert.ok(r >= 0.7 - 1e-12 && r <= 1 + 1e-12, `ring point at radius ${r}`);
  }

  const linear = makePoints("linear", n, 0, 3);
  for (const label of [0, 1]) {
    const ks = [...linear.label.keys()].filter((k) => linear.label[k] === label);
    const mean = (v: Float64Array) => ks.reduce((s, k) => s + v[k]!, 0) / ks.length;
    const centre = label ? 0.5 : -0.5;
    assert.ok(Math.abs(mean(linear.x) - centre) < 0.1 && Math.abs(mean(linear.y) - centre) < 0.1, `blob ${label} centred on (${centre}, ${centre})`);
  }

  // the two arms are the same curve turned by half a turn: point 2k+1 is point 2k through the origin
  const spiral = makePoints("spiral", n - 1, 0, 3);
  for (let k = 0; k + 1 < n - 1; k += 2) {
    assert.ok(Math.abs(spiral.x[k + 1]! + spiral.x[k]!) < 1e-9 && Math.abs(spiral.y[k + 1]! + spiral.y[k]!) < 1e-9, `spiral pair ${k}`);
    assert.ok(radius(spiral, k) >= 0.05 - 1e-12 && radius(spiral, k) <= 1 + 1e-12);
  }
});

test("noise: Gaussian jitter of standard deviation 0.25 × noise on each coordinate", () => {
  const clean = makePoints("linear", 1000, 0, 9);
  const noisy = makePoints("linear", 1000, 1, 9);
  const d = [...clean.x.keys()].flatMap((k) => [noisy.x[k]! - clean.x[k]!, noisy.y[k]! - clean.y[k]!]);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  assert.ok(Math.abs(mean) < 0.03, `mean jitter ${mean}`);
  assert.ok(sd > 0.22 && sd < 0.28, `jitter standard deviation ${sd}`);
  assert.equal(noisy.label, clean.label, "noise moves the points, not their labels");
});

test.run();
