import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tensor, heatmap, plotFunctions, topK } from "../src/index.js";
import { launchBrowser, openHtml, screenshotPath } from "./browser.js";

const cells = (svg: string) => svg.match(/<path[^>]*aria-roledescription="rect mark"[^>]*>/g) ?? [];
const bars = (svg: string) => svg.match(/<path[^>]*aria-roledescription="bar"[^>]*>/g) ?? [];
const lines = (svg: string) => svg.match(/<path[^>]*aria-roledescription="line mark"[^>]*>/g) ?? [];
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#39;/g, "'").replace(/&amp;/g, "&");

const TOKENS = ["The", " cat", " sat", " down"];

test("heatmap: one cell per matrix entry, token labels on both axes, values in the cell titles", async () => {
  const m = TOKENS.map((_, r) => TOKENS.map((_, c) => (c <= r ? 1 / (r + 1) : 0)));
  const fig = await heatmap(m, { rows: TOKENS, cols: TOKENS, title: "attention" });
  const svg = fig.bundle["image/svg+xml"]!;
  assert.ok(svg.startsWith("<svg"));
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  assert.is(cells(svg).length, 16);
  const labels = texts(svg);
  for (const t of ["The", "␣cat", "␣sat", "␣down", "attention"]) assert.ok(labels.includes(t), `${t} in ${labels.join("|")}`);
  assert.ok(svg.includes("<title>␣sat → ␣cat: 0.3333</title>"), "hovering a cell names its row, column and value");
  assert.ok(fig.bundle["text/html"]!.includes(svg));
  const text = fig.bundle["text/plain"];
  assert.ok(text.includes("attention") && text.includes("␣down"));
});

test("heatmap: repeated tokens keep their own rows; NaN cells are drawn grey; a [1, 1, r, c] Tensor works", async () => {
  const svg = (await heatmap([[1, NaN, 3], [4, 5, 6]], { rows: ["the", "the"], cols: ["a", "a", "b"] })).bundle["image/svg+xml"]!;
  assert.is(cells(svg).length, 6);
  assert.is(cells(svg).filter((c) => c.includes('fill="#d0d0d0"')).length, 1);
  const t = new Tensor("float32", Float32Array.from({ length: 12 }, (_, i) => i), [1, 1, 3, 4]);
  assert.is(cells((await heatmap(t)).bundle["image/svg+xml"]!).length, 12);
});

test("heatmap: cellLabels writes a text in each cell (a logit lens's top tokens), the colour still shows the value", async () => {
  const probs = [[0.1, 0.2], [0.6, 0.9]];
  const tokens = [[" the", "<b>"], [" States", " America"]];
  const fig = await heatmap(probs, { rows: ["layer 0", "layer 1"], cols: ["The", " United"], cellLabels: tokens });
  const svg = fig.bundle["image/svg+xml"]!;
  assert.is(cells(svg).length, 4);
  const written = texts(svg);
  for (const t of ["␣the", "&lt;b&gt;", "␣States", "␣America"]) assert.ok(written.includes(t), `${t} in ${written.join("|")}`);
  assert.ok(svg.includes("<title>layer 1 → ␣United: ␣America 0.9</title>"), "hovering a cell shows its label and value");
  assert.match(fig.bundle["text/plain"], /␣America 0\.9/);
  await assert_rejects(() => heatmap(probs, { cellLabels: [["a", "b"]] }), /cellLabels must have the matrix's shape, 2×2/);
  await assert_rejects(() => heatmap(probs, { cellLabels: [["a", 1], ["b", "c"]] as unknown as string[][] }), /cellLabels must be an array of rows of strings/);
});

test("heatmap: labels from data are escaped", async () => {
  const svg = (await heatmap([[1]], { rows: ["<script>alert(1)</script>"], cols: ["&"] })).bundle["image/svg+xml"]!;
  assert.not.ok(svg.includes("<script"));
  assert.ok(svg.includes("&lt;script&gt;"));
});

test("heatmap: bad input is refused with a clear message", async () => {
  await assert_rejects(() => heatmap([[1, 2], [3]]), /ragged matrix: row 0 has 2 values but row 1 has 1/);
  await assert_rejects(() => heatmap([[1, 2]], { cols: ["a"] }), /1 cols labels for 2 cols/);
  await assert_rejects(() => heatmap([[1, "x" as unknown as number]]), /\[0\]\[1\] is the string "x"/);
  await assert_rejects(() => heatmap(new Tensor("float32", new Float32Array(8), [2, 2, 2])), /2-D matrix.*\[2, 2, 2\]/);
  await assert_rejects(() => heatmap([]), /empty/);
  await assert_rejects(() => heatmap([[1]], { domain: [1, 0] }), /low < high/);
});

async function assert_rejects(fn: () => Promise<unknown>, pattern: RegExp) {
  try {
    await fn();
  } catch (e) {
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected an error matching ${pattern}`);
}

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

const VOCAB = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? ` w${i}` : `w${i}`));
const PROBS = softmax(VOCAB.map((_, i) => Math.sin(i * 1.7) * 4));

test("topK: k bars, most probable on top, labelled with quoted tokens", async () => {
  const k = 5;
  const fig = await topK(PROBS, k, { labels: VOCAB, title: "next token" });
  const svg = fig.bundle["image/svg+xml"]!;
  const b = bars(svg);
  assert.is(b.length, k);
  const expected = PROBS.map((p, id) => ({ p, id })).sort((x, y) => y.p - x.p).slice(0, k).map((e) => e.id);
  const byY = b.map((s) => ({ y: Number(/d="M[\d.]+,([\d.]+)/.exec(s)![1]), id: Number(/\(id (\d+)\)/.exec(s)![1]) })).sort((x, y) => x.y - y.y);
  assert.equal(byY.map((e) => e.id), expected, "top to bottom in descending probability");
  const labels = texts(svg).map(unescape);
  for (const id of expected) assert.ok(labels.includes(JSON.stringify(VOCAB[id]).replace(/ /g, "␣")), `label of ${id}`);
  const text = fig.bundle["text/plain"].split("\n");
  assert.is(text[0], "next token");
  assert.is(text.length, k + 1);
  expected.forEach((id, i) => assert.ok(text[i + 1]!.includes(JSON.stringify(VOCAB[id]!).replace(/ /g, "␣")), text[i + 1]));
});

test("topK: a Tensor [1, V] and a label function", async () => {
  const t = new Tensor("float32", Float32Array.from(PROBS), [1, PROBS.length]);
  const fig = await topK(t, 3, { labels: (id) => `tok${id}` });
  assert.is(bars(fig.bundle["image/svg+xml"]!).length, 3);
  const best = PROBS.indexOf(Math.max(...PROBS));
  assert.ok(fig.bundle["text/plain"].split("\n")[1]!.includes(`"tok${best}"`));
});

test("topK: bad input is refused with a clear message", async () => {
  await assert_rejects(() => topK([0.5, 0.5], 3), /k = 3 is more than the 2/);
  await assert_rejects(() => topK([0.5, NaN], 1), /index 1 is NaN/);
  await assert_rejects(() => topK([0.5, 0.5], 1, { labels: ["a"] }), /1 labels for 2 probabilities/);
  await assert_rejects(() => topK([2.5, -1], 1), /softmax/);
  await assert_rejects(() => topK([0.5, 0.5], 0), /k must be/);
  await assert_rejects(() => topK(new Tensor("float32", new Float32Array(6), [2, 3]), 1), /1-D vector.*\[2, 3\]/);
});

test("plotFunctions: one line per function, named in the legend; a table of values as text", async () => {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const fns = { sigmoid, relu: (x: number) => Math.max(0, x), silu: (x: number) => x * sigmoid(x) };
  const fig = await plotFunctions(fns, { from: -4, to: 4, samples: 81, title: "activations" });
  const svg = fig.bundle["image/svg+xml"]!;
  const l = lines(svg);
  assert.is(l.length, 3);
  for (const path of l) assert.is((path.match(/L/g) ?? []).length, 80, "81 samples → 80 segments");
  const labels = texts(svg);
  for (const n of ["sigmoid", "relu", "silu", "activations"]) assert.ok(labels.includes(n), n);
  const rows = fig.bundle["text/plain"].split("\n");
  assert.equal(rows[1]!.trim().split(/\s+/), ["x", "sigmoid", "relu", "silu"]);
  assert.equal(rows.at(-1)!.trim().split(/\s+/).slice(0, 3), ["4", String(Number(sigmoid(4).toPrecision(4))), "4"]);
});

test("plotFunctions: bad input is refused with a clear message", async () => {
  await assert_rejects(() => plotFunctions({}, { from: 0, to: 1 }), /no functions/);
  await assert_rejects(() => plotFunctions({ f: (x) => x }, { from: 1, to: 1 }), /from < to/);
  await assert_rejects(() => plotFunctions({ bad: () => { throw new Error("boom"); } }, { from: 0, to: 1 }), /"bad" threw at x = 0: boom/);
  await assert_rejects(() => plotFunctions({ f: (x) => x }, { from: 0, to: 1, samples: 1 }), /samples/);
});

test("in Chromium: the heat map and top-k chart show, cells and bars countable (screenshot display-charts)", async () => {
  const m = TOKENS.map((_, r) => TOKENS.map((_, c) => (c <= r ? 1 / (r + 1) : 0)));
  const hm = await heatmap(m, { rows: TOKENS, cols: TOKENS, title: "attention pattern (layer 0, head 0)" });
  const tk = await topK(PROBS, 8, { labels: VOCAB, title: "next-token probabilities" });
  const pf = await plotFunctions({ sigmoid: (x) => 1 / (1 + Math.exp(-x)), relu: (x) => Math.max(0, x) }, { from: -4, to: 4, title: "activations" });
  const browser = await launchBrowser();
  try {
    const page = await openHtml(browser, `<div style="display:flex;gap:24px;flex-wrap:wrap">${hm.bundle["text/html"]}${tk.bundle["text/html"]}${pf.bundle["text/html"]}</div>`);
    const counts = await page.evaluate(() => ({
      cells: document.querySelectorAll('[aria-roledescription="rect mark"]').length,
      bars: document.querySelectorAll('[aria-roledescription="bar"]').length,
      width: document.querySelector("svg")!.getBoundingClientRect().width,
    }));
    assert.equal({ cells: counts.cells, bars: counts.bars }, { cells: 16, bars: 8 });
    assert.ok(counts.width > 100, "the SVG is laid out with a size");
    await page.screenshot({ path: screenshotPath("display-charts"), fullPage: true });
  } finally {
    await browser.close();
  }
});

test.run();
