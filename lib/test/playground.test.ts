import type { Browser, Locator, Page } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Figure, type PlaygroundOptions, playground } from "../src/index.js";
import { launchBrowser, openHtml, screenshotPath } from "./browser.js";

// ---------------------------------------------------------------------------------------------------------------
// Server side: the Figure and option checks

test("playground() gives a Figure with text/plain and a self-contained text/html", () => {
  const fig = playground({ dataset: "circle", hidden: [3, 2], activation: "silu", learningRate: 0.1, seed: 7 });
  assert.instance(fig, Figure);
  const plain = fig.bundle["text/plain"];
  assert.match(plain, /^Neural-network playground \(open in a notebook to use it\)/);
  assert.match(plain, /dataset circle, hidden layers \[3, 2\], silu, learning rate 0\.1/);
  const html = fig.bundle["text/html"]!;
  const id = /^<div id="(cwpg-[0-9a-f-]{36})"/.exec(html)?.[1];
  assert.ok(id, "the html starts with the widget's root div and its unique id");
  assert.ok(html.includes("function mountPlayground(root, options)"), "the client code is inlined");
  assert.ok(html.includes(`mountPlayground(document.getElementById("${id}"), {`), "it mounts on its own id");
  for (const part of ['"dataset":"circle"', '"hidden":[3,2]', '"activation":"silu"', '"learningRate":0.1', '"seed":7', '"points":200']) {
    assert.ok(html.includes(part), `options in the mount call: ${part}`);
  }
  assert.not.ok(html.includes("document.currentScript"), "classic Notebook inserts outputs with jQuery: no currentScript");
  assert.is(html.match(/<\/script/g)?.length, 1, "one closing script tag: the client code cannot end the script early");
  assert.is(html.match(/<style>/g)?.length, 1);
});

test("every CSS rule is scoped under .cwpg", () => {
  const css = /<style>([\s\S]*?)<\/style>/.exec(playground().bundle["text/html"]!)?.[1] ?? "";
  const selectors = [...css.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((m) => m[1]!.split(",").map((s) => s.trim()));
  assert.ok(selectors.length > 10, `found ${selectors.length} selectors`);
  for (const s of selectors) assert.ok(s.startsWith(".cwpg"), `unscoped selector: ${s}`);
});

test("defaults: XOR, two hidden layers of 4, ReLU", () => {
  assert.match(playground().bundle["text/plain"], /dataset xor, hidden layers \[4, 4\], relu, learning rate 0\.3, 200 points/);
  assert.match(playground({ dataset: "linear", hidden: [] }).bundle["text/plain"], /hidden layers \[\] \(a single neuron\)/);
});

test("two calls give different ids", () => {
  const idOf = (f: Figure) => /id="(cwpg-[^"]+)"/.exec(f.bundle["text/html"]!)?.[1];
  const a = idOf(playground());
  const b = idOf(playground());
  assert.ok(a && b);
  assert.is.not(a, b);
});

test("invalid options throw and say what is allowed", () => {
  const cases: [unknown, RegExp][] = [
    [{ dataset: "moons" }, /unknown dataset "moons"; choose one of "linear", "xor", "circle", "spiral"/],
    [{ activation: "tanh" }, /unknown activation "tanh"; choose one of "sigmoid", "relu", "silu"/],
    [{ hidden: [4, 9] }, /hidden\[1\] is 9; each hidden layer has a whole number of neurons from 1 to 8/],
    [{ hidden: [0] }, /hidden\[0\] is 0/],
    [{ hidden: [2.5] }, /hidden\[0\] is 2\.5/],
    [{ hidden: [1, 1, 1, 1, 1, 1, 1] }, /7 layers; at most 6 hidden layers/],
    [{ hidden: 4 }, /hidden must be an array of neuron counts, e.g. \[4, 4\]/],
    [{ learningRate: 0 }, /learningRate is 0; it must be a number more than 0 and at most 10/],
    [{ learningRate: Number.NaN }, /learningRate is null/],
    [{ noise: 1.5 }, /noise is 1\.5; it must be a number from 0 to 1/],
    [{ points: 5 }, /points is 5; it must be a whole number from 10 to 1000/],
    [{ seed: -1 }, /seed is -1/],
    [{ autoplay: "yes" }, /autoplay is "yes"; it must be true or false/],
    [{ learning_rate: 0.1 }, /unknown option "learning_rate"; the options are dataset, hidden, activation, learningRate/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => playground(options as PlaygroundOptions), (e: unknown) => e instanceof TypeError && message.test(e.message) && /^playground\(\): /.test(e.message), JSON.stringify(options));
  }
  assert.not.throws(() => playground({ hidden: [], learningRate: undefined, points: 1000, noise: 0 }));
});

// ---------------------------------------------------------------------------------------------------------------
// In a real browser

let browser: Browser | undefined;
test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
});

async function mount(options: PlaygroundOptions, extraHtml = ""): Promise<{ page: Page; root: Locator; errors: string[] }> {
  const page = await openHtml(browser!, playground(options).bundle["text/html"]! + extraHtml);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, root: page.locator(".cwpg").first(), errors };
}
async function read(root: Locator, name: "epoch" | "loss"): Promise<number> {
  return Number(await root.getAttribute(`data-${name}`));
}
/** Waits until the widget's epoch reaches n (training runs on animation frames). */
async function epochAtLeast(page: Page, n: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>(".cwpg")?.dataset.epoch) >= n, n, { timeout: 20_000 });
}
/** Colours in the decision canvas: how many pixels are clearly blue, clearly orange, and the distinct colours. */
async function decisionColours(page: Page): Promise<{ blue: number; orange: number; distinct: number }> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.cwpg canvas[data-view="decision"]')!;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let blue = 0;
    let orange = 0;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
      seen.add((r << 16) | (g << 8) | b);
      if (b > r + 60) blue++;
      if (r > b + 60) orange++;
    }
    return { blue, orange, distinct: seen.size };
  });
}

test("XOR with hidden layers: Step advances one epoch, Play trains, Pause stops, the map shows both classes", async () => {
  const { page, root, errors } = await mount({ dataset: "xor", hidden: [4, 4], activation: "relu", seed: 1 });
  try {
    assert.is(await root.getAttribute("data-epoch"), "0");
    assert.is(await root.getAttribute("data-playing"), "false");
    const initial = await read(root, "loss");
    assert.ok(initial > 0.5 && initial < 1, `initial loss near ln 2: ${initial}`);
    assert.match((await page.locator(".cwpg-note").textContent()) ?? "", /2 → 4 → 4 → 1 \(37 weights and biases\)/);

    await page.click('.cwpg [data-action="step"]');
    assert.is(await read(root, "epoch"), 1);
    const afterStep = await read(root, "loss");
    assert.ok(Number.isFinite(afterStep) && afterStep !== initial, `one step changes the loss: ${initial} -> ${afterStep}`);
    assert.is(await page.locator(".cwpg-stat").first().textContent(), "Epoch 1");

    await page.selectOption('.cwpg [data-control="speed"]', "10");
    await page.click('.cwpg [data-action="play"]');
    assert.is(await root.getAttribute("data-playing"), "true");
    assert.ok(await page.locator('.cwpg [data-action="step"]').isDisabled(), "Step is off while playing");
    await epochAtLeast(page, 200);
    await page.click('.cwpg [data-action="pause"]');
    assert.is(await root.getAttribute("data-playing"), "false");
    const pausedEpoch = await read(root, "epoch");
    const trained = await read(root, "loss");
    assert.ok(pausedEpoch >= 200, `epoch ${pausedEpoch}`);
    assert.ok(trained < 0.8 * initial, `loss fell clearly: ${initial} -> ${trained} after ${pausedEpoch} epochs`);
    assert.ok(trained < 0.2, `XOR is learnt by 4-4 ReLU in ${pausedEpoch} epochs: loss ${trained}`);
    await page.waitForTimeout(300);
    assert.is(await read(root, "epoch"), pausedEpoch, "no training after Pause");
    assert.is(await read(root, "loss"), trained);

    const colours = await decisionColours(page);
    assert.ok(colours.distinct > 20, `the map is not blank: ${colours.distinct} colours`);
    assert.ok(colours.blue > 1000 && colours.orange > 1000, `both regions shown: ${JSON.stringify(colours)}`);
    await page.screenshot({ path: screenshotPath("playground-xor") });

    // Reset goes back to epoch 0 and the very same seeded start
    await page.click('.cwpg [data-action="reset"]');
    assert.is(await read(root, "epoch"), 0);
    assert.is(await read(root, "loss"), initial);
    assert.equal(errors, []);
  } finally {
    await page.close();
  }
});

test("a single neuron on linearly separable blobs trains to a low loss", async () => {
  const { page, root, errors } = await mount({ dataset: "linear", hidden: [] });
  try {
    assert.match((await page.locator(".cwpg-note").textContent()) ?? "", /2 → 1 \(3 weights and biases\)/);
    assert.match((await root.textContent()) ?? "", /a single neuron/);
    const initial = await read(root, "loss");
    await page.selectOption('.cwpg [data-control="speed"]', "10");
    await page.click('.cwpg [data-action="play"]');
    await epochAtLeast(page, 200);
    await page.click('.cwpg [data-action="pause"]');
    const loss = await read(root, "loss");
    assert.ok(loss < 0.1, `loss ${initial} -> ${loss} after ${await read(root, "epoch")} epochs`);
    assert.equal(errors, []);
  } finally {
    await page.close();
  }
});

test("changing the data set, the layers or the activation regenerates and resets; the learning rate does not", async () => {
  const { page, root, errors } = await mount({ dataset: "xor", seed: 3 });
  try {
    const xorLoss = await read(root, "loss");
    for (let i = 0; i < 5; i++) await page.click('.cwpg [data-action="step"]');
    assert.is(await read(root, "epoch"), 5);

    await page.selectOption('.cwpg [data-control="dataset"]', "circle");
    assert.is(await root.getAttribute("data-dataset"), "circle");
    assert.is(await read(root, "epoch"), 0);
    const circleLoss = await read(root, "loss");
    assert.ok(Number.isFinite(circleLoss) && circleLoss !== xorLoss, `new points, new loss: ${xorLoss} vs ${circleLoss}`);

    await page.click('.cwpg [data-action="step"]');
    await page.selectOption('.cwpg [data-control="learning-rate"]', "0.03");
    assert.is(await read(root, "epoch"), 1, "the learning rate applies from the next step on");

    await page.click('.cwpg [data-action="add-layer"]');
    assert.is(await read(root, "epoch"), 0);
    assert.match((await page.locator(".cwpg-note").textContent()) ?? "", /2 → 4 → 4 → 4 → 1/);
    await page.click('.cwpg [data-action="add-neuron"][data-layer="0"]');
    await page.click('.cwpg [data-action="remove-layer"]');
    assert.match((await page.locator(".cwpg-note").textContent()) ?? "", /2 → 5 → 4 → 1/);

    await page.click('.cwpg [data-action="step"]');
    await page.selectOption('.cwpg [data-control="activation"]', "sigmoid");
    assert.is(await read(root, "epoch"), 0);

    // back to XOR with the original architecture: the same seeded points and weights as at the start
    await page.selectOption('.cwpg [data-control="activation"]', "relu");
    await page.click('.cwpg [data-action="remove-neuron"][data-layer="0"]');
    await page.selectOption('.cwpg [data-control="dataset"]', "xor");
    assert.is(await read(root, "loss"), xorLoss);
    assert.equal(errors, []);
  } finally {
    await page.close();
  }
});

test("seeds: the same seed gives the same start, another seed another; two widgets on a page are independent", async () => {
  const other = playground({ seed: 2 }).bundle["text/html"]!;
  const { page, errors } = await mount({ seed: 1 }, other + playground({ seed: 1 }).bundle["text/html"]!);
  try {
    const widgets = page.locator(".cwpg");
    assert.is(await widgets.count(), 3);
    const losses = await Promise.all([0, 1, 2].map(async (i) => read(widgets.nth(i), "loss")));
    assert.is(losses[0], losses[2], "seed 1 twice");
    assert.is.not(losses[0], losses[1], "seed 1 vs seed 2");
    await widgets.nth(1).locator('[data-action="step"]').click();
    assert.equal(await Promise.all([0, 1, 2].map(async (i) => read(widgets.nth(i), "epoch"))), [0, 1, 0]);
    assert.equal(errors, []);
  } finally {
    await page.close();
  }
});

test("mounts when inserted as notebooks insert outputs (innerHTML, then each script re-created), without currentScript", async () => {
  const page = await openHtml(browser!, '<div class="output"></div>');
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.evaluate((html) => {
      const out = document.querySelector(".output")!;
      out.innerHTML = html; // scripts inserted this way do not run...
      for (const old of Array.from(out.querySelectorAll("script"))) {
        const s = document.createElement("script"); // ...so JupyterLab (and jQuery's .html()) run copies of them
        s.textContent = old.textContent;
        old.replaceWith(s);
      }
    }, playground({ dataset: "spiral", hidden: [8, 8] }).bundle["text/html"]!);
    const root = page.locator(".cwpg");
    assert.is(await root.getAttribute("data-dataset"), "spiral");
    assert.is(await root.getAttribute("data-epoch"), "0");
    assert.not.match((await root.textContent()) ?? "", /Loading the neural-network playground/);
    assert.ok(Number.isFinite(await read(root, "loss")));
    assert.equal(errors, []);
  } finally {
    await page.close();
  }
});

test("a far too high learning rate shows a hint", async () => {
  const { page, root, errors } = await mount({ dataset: "circle", hidden: [8, 8, 8], activation: "silu", learningRate: 10 });
  try {
    const message = page.locator(".cwpg-message");
    assert.is(await message.textContent(), "");
    await page.evaluate(() => {
      const step = document.querySelector<HTMLButtonElement>('.cwpg [data-action="step"]')!;
      for (let i = 0; i < 40; i++) step.click();
    });
    assert.is(await read(root, "epoch"), 40);
    assert.match((await message.textContent()) ?? "", /the learning rate is probably too high/);
    await page.click('.cwpg [data-action="reset"]');
    assert.is(await message.textContent(), "");
    assert.equal(errors, []);
  } finally {
    await page.close();
  }
});

test("autoplay starts training on its own; a removed widget stops", async () => {
  const { page, root, errors } = await mount({ dataset: "circle", autoplay: true });
  try {
    await epochAtLeast(page, 10);
    assert.is(await root.getAttribute("data-playing"), "true");
    // as when a cell is re-run: the old output leaves the page, and its training loop must end
    const widget = await root.elementHandle();
    await widget!.evaluate((el) => el.remove());
    await page.waitForTimeout(100);
    const epochOf = () => widget!.evaluate((el) => Number((el as HTMLElement).dataset.epoch));
    const stopped = await epochOf();
    await page.waitForTimeout(300);
    assert.is(await epochOf(), stopped, "no more epochs once removed");
    assert.equal(errors, []);
  } finally {
    await page.close();
  }
});

test.run();
