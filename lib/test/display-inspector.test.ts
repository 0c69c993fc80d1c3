import { test } from "uvu";
import * as assert from "uvu/assert";
import { type HookCall, Tensor, inspector } from "../src/index.js";
import { summariseCalls } from "../src/display/inspector.js";
import { launchBrowser, openHtml, screenshotPath } from "./browser.js";
import { tiny } from "./helpers.js";

async function record(): Promise<HookCall[]> {
  const { tokenizer, model } = await tiny();
  const calls: HookCall[] = [];
  const handles = model.modules().map((m) => m.registerForwardHook((module, args, output) => void calls.push({ module, args, output })));
  try {
    await model.forward(tokenizer("hello world"));
  } finally {
    handles.forEach((h) => h.remove());
  }
  return calls;
}

test("each value is labelled as a student reaches it: args[i], output[i], output.logits, output.past_key_values[l][i]", async () => {
  const calls = await record();
  const { calls: summaries } = summariseCalls(calls);
  const names = (name: string, part: "inputs" | "outputs") => summaries.find((s) => s.name === name)![part].map((t) => t.name.split(" · ")[0]);
  assert.equal(names("model.layers.0.self_attn", "outputs"), ["output[0]", "output[1]", "output[2]"]);
  assert.match(summaries.find((s) => s.name === "model.layers.0.self_attn")!.outputs[1]!.name, /^output\[1\] · present\.0\.key$/);
  assert.equal(names("", "outputs").slice(0, 3), ["output.logits", "output.past_key_values[0][0]", "output.past_key_values[0][1]"]);
  assert.equal(names("model.layers.0.mlp", "outputs"), ["output"]);
  assert.equal(names("model.layers.0", "inputs")[0], "args[0]");
});

test("in Chromium: pick a module, see its name and its output shape (screenshot inspector)", async () => {
  const calls = await record();
  assert.ok(calls.length > 10);
  const fig = inspector(calls);
  const html = fig.bundle["text/html"]!;
  assert.ok(fig.bundle["text/plain"].includes("model.layers.0.mlp"));
  const pick = calls.findIndex((c) => c.module.name === "model.layers.0.mlp");
  assert.ok(pick > 0);
  const recorded = calls[pick]!.output as Tensor;
  const browser = await launchBrowser();
  try {
    const page = await openHtml(browser, html);
    const items = await page.$$eval(".cwi-item", (els) => els.map((e) => (e as HTMLElement).dataset.name));
    assert.equal(items, calls.map((c) => c.module.name), "every call listed, in execution order");
    assert.is(await page.textContent('[data-role="title"]'), calls[0]!.module.name, "the first call is shown at first");
    await page.click('.cwi-item[data-name="model.layers.0.mlp"]');
    assert.is(await page.textContent('[data-role="title"]'), "model.layers.0.mlp");
    const panel = await page.textContent(".cwi-panel");
    assert.ok(panel!.includes(calls[pick]!.module.className), panel!);
    const shapes = await page.$$eval(".cwi-panel .cwi-section", (sections) =>
      sections.map((sec) => [...sec.querySelectorAll("[data-role=shape]")].map((e) => e.textContent)),
    );
    assert.equal(shapes, [calls[pick]!.args.map((a) => `[${a.dims.join(", ")}]`), [`[${recorded.dims.join(", ")}]`]], "inputs, then outputs");
    // the minimum shown is the recorded output's minimum, computed here
    const data = recorded.data as Float32Array;
    let min = Infinity;
    for (const x of data) min = Math.min(min, x);
    const shownMin = await page.$eval(".cwi-section:last-child .cwi-num", (e) => Number(e.textContent));
    assert.ok(Math.abs(shownMin - min) <= Math.abs(min) * 1e-3 + 1e-6, `${shownMin} vs ${min}`);
    assert.ok((await page.$$(".cwi-panel canvas.cwi-heat")).length >= 1, "a picture of the values");
    await page.screenshot({ path: screenshotPath("inspector"), fullPage: true });
  } finally {
    await browser.close();
  }
});

function bigCall(name: string, dims: number[]): HookCall {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i));
  const t = new Tensor("float32", data, dims);
  return { module: { name, className: "Linear", inputNames: ["x"], outputNames: ["y"] } as unknown as HookCall["module"], args: [t], output: t };
}

test("big tensors are summarised, not embedded: the HTML stays small", () => {
  const calls = [bigCall("a", [1, 512, 4096]), bigCall("b", [1, 512, 4096]), bigCall("c", [4096, 512])];
  const html = inspector(calls).bundle["text/html"]!;
  assert.ok(html.length < 60_000, `${html.length} characters`);
  assert.ok(html.includes('"dims":[1,512,4096]'));
});

test("many calls: later ones are dropped past the size cap, and the text says so", () => {
  const calls = Array.from({ length: 2000 }, (_, i) => bigCall(`layer.${i}`, [8, 64]));
  const fig = inspector(calls, { maxBytes: 200_000 });
  assert.ok(fig.bundle["text/html"]!.length < 260_000, `${fig.bundle["text/html"]!.length} characters`);
  const omitted = /… (\d+) more calls not shown/.exec(fig.bundle["text/plain"]);
  assert.ok(omitted && Number(omitted[1]) > 1000, fig.bundle["text/plain"].slice(-200));
});

test("module names cannot break out of the script; two inspectors on one page work independently", async () => {
  const evil = bigCall("</script><script>window.hacked = 1</script>", [2, 3]);
  const plain = bigCall("plain", [4]);
  const html = inspector([evil, plain]).bundle["text/html"]! + inspector([plain, evil]).bundle["text/html"]!;
  const browser = await launchBrowser();
  try {
    const page = await openHtml(browser, html);
    assert.is(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked), undefined);
    const titles = await page.$$eval('[data-role="title"]', (els) => els.map((e) => e.textContent));
    assert.equal(titles, [evil.module.name, "plain"]);
    await page.locator(".cw-inspector").nth(1).locator('.cwi-item[data-name="plain"]').click();
    await page.locator(".cw-inspector").nth(0).locator('.cwi-item[data-name="plain"]').click();
    const after = await page.$$eval('[data-role="title"]', (els) => els.map((e) => e.textContent));
    assert.equal(after, ["plain", "plain"]);
  } finally {
    await browser.close();
  }
});

test.run();
