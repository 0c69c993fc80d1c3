// The batch report as a TA sees it: index.html opened from disk in a real headless Chromium, charts drawn, the
// similar pair opened side by side, nothing loaded from outside the file and nothing on the console.
// Screenshots for people: test-output/screenshots/report-overview.png and report-similar-pair.png.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeReport } from "../src/report/write-report.js";
import { launchBrowser, screenshotPath } from "./browser.js";
import { ROOT } from "./helpers.js";
import { reportBatchDir } from "./report-batch.js";

test("the report renders with its charts and the similarity view, loads nothing and logs no error", async () => {
  const out = mkdtempSync(join(tmpdir(), "report-page-"));
  const { htmlPath } = await writeReport({ from: reportBatchDir(), out, solutionsDir: join(ROOT, "solutions"), minSimilarity: 0.5, shownPairs: 25 });
  const url = pathToFileURL(htmlPath).href;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const fetched: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("request", (r) => {
      if (r.url() !== url) fetched.push(r.url());
    });
    await page.goto(url, { waitUntil: "load" });

    // every chart is an SVG with marks that the browser lays out with a size
    const charts = await page.$$eval("figure > svg", (svgs) => svgs.map((s) => ({ w: s.getBoundingClientRect().width, marks: s.querySelectorAll('[role="graphics-symbol"]').length })));
    assert.ok(charts.length >= 6, `${charts.length} charts`);
    for (const c of charts) assert.ok(c.w > 100 && c.marks > 0, JSON.stringify(c));
    await page.screenshot({ path: screenshotPath("report-overview"), fullPage: true });

    // the planted copy is the first softmax pair; opened, both answers sit side by side with the shared stretches marked
    const pair = page.locator('details[data-question="softmax"][data-rank="1"]');
    assert.match((await pair.locator("summary").innerText()).replace(/\s+/g, " "), /s3 and s5/);
    assert.not.ok(await pair.locator("pre").first().isVisible(), "closed until clicked");
    await pair.locator("summary").click();
    const [left, right] = await pair.locator("pre").all();
    const a = (await left!.boundingBox())!;
    const b = (await right!.boundingBox())!;
    assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x + a.width - 1, "side by side");
    assert.ok((await pair.locator("mark").count()) >= 2, "shared stretches marked");
    assert.match(await right!.innerText(), /function normalise/);
    await pair.scrollIntoViewIfNeeded();
    await pair.screenshot({ path: screenshotPath("report-similar-pair") });

    assert.equal(problems, [], "console errors or warnings");
    assert.equal(fetched, [], "requests for anything but the page");
  } finally {
    await browser.close();
  }
});

test.run();
