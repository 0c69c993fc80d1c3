// Charts where the display channel discards figures unseen (the grader's sandbox): show() emits them without
// drawing, anything that looks at the chart gets it drawn, and errors are the same as when drawing.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type MimeBundle, heatmap, plotFunctions, show, topK } from "../src/index.js";
import { QUIET_SCHEMES } from "../src/display/chart.js";
import { drawing } from "../src/display/vega.js";

const require = createRequire(import.meta.url);
const jupyter = require("tslab/dist/jupyter.js") as { lastWriteDisplayData: unknown; discardsDisplayData?: boolean };
const sent: MimeBundle[] = [];
const original = jupyter.lastWriteDisplayData;

/** Runs `fn` with tslab's display channel replaced by one that records, and says it discards when `discards`. */
async function withChannel(discards: boolean, fn: () => Promise<void>): Promise<void> {
  sent.length = 0;
  jupyter.lastWriteDisplayData = (content: { data: MimeBundle }) => void sent.push(content.data);
  if (discards) jupyter.discardsDisplayData = true;
  try {
    await fn();
  } finally {
    jupyter.lastWriteDisplayData = original;
    delete jupyter.discardsDisplayData;
  }
}

test("discarded: show() emits each chart's text without drawing it", async () => {
  const before = drawing.count;
  await withChannel(true, async () => {
    await show(heatmap([[1, 2], [3, 4]], { rows: ["a", "b"], cols: ["c", "d"], title: "h", scheme: "redblue" }));
    await show(topK([0.1, 0.6, 0.3], 2, { title: "t" }));
    await show(plotFunctions({ id: (x) => x }, { from: 0, to: 1 }));
  });
  assert.is(sent.length, 3);
  for (const b of sent) assert.equal(Object.keys(b), ["text/plain"]);
  assert.ok(sent[0]!["text/plain"].startsWith("h\nheatmap 2×2"), sent[0]!["text/plain"]);
  assert.is(drawing.count, before, "no chart was drawn");
});

test("discarded: the same errors as when drawing, from show() and from the chart itself", async () => {
  const bad = () => heatmap([[1, 2], [3]], {});
  let drawnError = "", discardedError = "";
  await show(bad()).catch((e: Error) => (drawnError = e.message));
  await withChannel(true, async () => {
    await show(bad()).catch((e: Error) => (discardedError = e.message));
  });
  assert.ok(drawnError.length > 0);
  assert.is(discardedError, drawnError);
  let fnError = "";
  await withChannel(true, async () => {
    await show(plotFunctions({ f: () => { throw new Error("boom"); } }, { from: 0, to: 1 })).catch((e: Error) => (fnError = e.message));
  });
  assert.match(fnError, /"f" threw at x = 0: boom/);
});

test("discarded: a chart that is awaited or kept is drawn in full", async () => {
  await withChannel(true, async () => {
    const chart = heatmap([[0, 1]]);
    await show(chart);
    assert.equal(Object.keys(sent[0]!), ["text/plain"]);
    const before = drawing.count;
    const fig = await chart; // looked at: drawn
    assert.ok(fig.bundle["image/svg+xml"]!.startsWith("<svg"));
    const all = await Promise.all([topK([0.5, 0.5], 1)]);
    assert.ok(all[0]!.bundle["image/svg+xml"]!.startsWith("<svg"));
    assert.is(drawing.count, before + 2);
  });
});

test("discarded: a chart vega might complain about (an unknown colour scheme) is drawn as before", async () => {
  await withChannel(true, async () => {
    await show(heatmap([[0, 1]], { scheme: "no-such-scheme" }));
  });
  assert.is(sent.length, 1);
  assert.ok(sent[0]!["image/svg+xml"]?.startsWith("<svg"), Object.keys(sent[0]!).join());
});

test("discarded: a title that is not text fails as it does when drawn", async () => {
  const chart = () => topK([0.5, 0.5], 1, { title: 42 as unknown as string });
  const messages: string[] = [];
  await show(chart()).catch((e: Error) => messages.push(e.message));
  await withChannel(true, async () => {
    await show(chart()).catch((e: Error) => messages.push(e.message));
  });
  assert.is(messages.length, 2);
  assert.is(messages[1], messages[0]);
});

test("not discarded (a tslab kernel): show() sends the drawn chart", async () => {
  await withChannel(false, async () => {
    await show(heatmap([[0, 1]], { scheme: "viridis" }));
  });
  assert.equal(Object.keys(sent[0]!).sort(), ["image/svg+xml", "text/html", "text/plain"]);
});

test("every scheme that may be drawn lazily is one vega knows", async () => {
  const { scheme } = (await import("vega")) as unknown as { scheme(name: string): unknown };
  for (const name of QUIET_SCHEMES) assert.ok(scheme(name) !== undefined, `vega has no scheme "${name}"`);
});

test.run();
