import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type HookCall, type MimeBundle, Tensor, heatmap, render, show } from "../src/index.js";
import { tiny } from "./helpers.js";

function captureLog<T>(fn: () => T): { result: T; printed: string[] } {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  try {
    return { result: fn(), printed };
  } finally {
    console.log = log;
  }
}

test("outside a notebook show() prints the text form and returns nothing", () => {
  const t = new Tensor("float32", Float32Array.from([1, 2, 3]), [3]);
  const { result, printed } = captureLog(() => show(t));
  assert.is(result, undefined);
  assert.equal(printed, [render(t).bundle["text/plain"]]);
  assert.ok(printed[0]!.startsWith("Tensor float32 [3]"));
});

test("show(promise) waits for the figure, then prints it", async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  try {
    const pending = show(heatmap([[1, 2], [3, 4]], { rows: ["a", "b"], cols: ["c", "d"] }));
    assert.instance(pending, Promise);
    assert.equal(printed, [], "nothing is printed before the chart is drawn");
    await pending;
  } finally {
    console.log = log;
  }
  assert.is(printed.length, 1);
  assert.ok(printed[0]!.startsWith("heatmap 2×2"), printed[0]);
});

test("inside tslab show() sends one display_data with every MIME form and prints nothing", async () => {
  const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter.js") as { lastWriteDisplayData: unknown };
  const sent: Array<{ data: MimeBundle; metadata: object; transient: object }> = [];
  jupyter.lastWriteDisplayData = (content: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => {
    assert.is(update, false);
    sent.push(content);
  };
  try {
    const { printed } = captureLog(() => show({ a: 1 }));
    assert.equal(printed, []);
    assert.is(sent.length, 1);
    assert.equal(Object.keys(sent[0]!.data).sort(), ["text/html", "text/plain"]);
    assert.is(sent[0]!.data["text/plain"], render({ a: 1 }).bundle["text/plain"]);

    await show(heatmap([[0, 1]]));
    assert.is(sent.length, 2);
    assert.equal(Object.keys(sent[1]!.data).sort(), ["image/svg+xml", "text/html", "text/plain"]);
    assert.ok(sent[1]!.data["image/svg+xml"]!.startsWith("<svg"));
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
});

test("recorded hook calls and an ActivationCache are shown as the module inspector", async () => {
  const { tokenizer, model } = await tiny();
  const { cache } = await model.runWithCache(tokenizer("A language model is"), { names: ["model.embed_tokens", "lm_head"] });
  const fromCache = render(cache);
  assert.match(fromCache.bundle["text/html"]!, /cw-inspector/);
  assert.match(fromCache.bundle["text/plain"], /model\.embed_tokens/);
  const calls: HookCall[] = [...cache];
  assert.match(render(calls).bundle["text/html"]!, /cw-inspector/);
  // any other array stays a JSON tree
  assert.not.match(render([{ module: 1 }]).bundle["text/html"]!, /cw-inspector/);
});

test.run();
