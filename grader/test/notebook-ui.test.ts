// End to end, as a student sees it: the release notebook opened in the real classic Jupyter Notebook UI (Debian's
// jupyter-notebook 6.x) in headless Chromium, "Run All" in each of the project's kernels (the real tslab, and Deno's
// own `deno jupyter`), then the neural-network playground and the module inspector are used by clicking them. Run All stops at the first exercise (softmax), which throws
// "Not implemented" by design; everything this test looks at comes before it.
// Screenshots for people: test-output/screenshots/notebook-ui-<kernel>-playground.png and -inspector.png.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshotPath } from "./browser.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers.js";
import { type JupyterServer, startJupyter } from "./jupyter-server.js";

const NOTEBOOK = "llm-architecture.ipynb";
const RELEASE = join(ROOT, "assignments", "llm-architecture", NOTEBOOK);

/** The cells the test looks at: by nbgrader grade_id, else by a piece of source, never by position. */
interface Marker {
  gradeId: string;
  source: string;
}
const LOAD_MODEL: Marker = { gradeId: "load-model", source: "await loadModel()" };
const INSPECTOR: Marker = { gradeId: "inspector", source: "show(calls);" };
/** The first exercise, whose solution cell throws "Not implemented" in the release notebook. */
const SOFTMAX: Marker = { gradeId: "softmax", source: 'throw new Error("Not implemented")' };

interface CellSummary {
  index: number;
  gradeId: string | null;
  source: string;
  executionCount: number | null;
  running: boolean;
  /** The text of the outputs: stream text, error name/value/traceback, text/plain. */
  text: string;
  /** Whether the outputs show an error: an error output, a stderr stream, or the DOM classes for those. */
  error: boolean;
}

/** The code cells as the classic UI holds them (Jupyter.notebook), summarised. Runs in the page. */
function summariseCells(page: Page): Promise<CellSummary[]> {
  return page.evaluate(() => {
    const nb = (window as any).Jupyter.notebook;
    const out: CellSummary[] = [];
    nb.get_cells().forEach((cell: any, index: number) => {
      if (cell.cell_type !== "code") return;
      const outputs: any[] = cell.output_area?.outputs ?? [];
      const text = outputs
        .map((o) =>
          o.output_type === "stream"
            ? String(o.text)
            : o.output_type === "error"
              ? [o.ename, o.evalue, ...(o.traceback ?? [])].join("\n")
              : String(o.data?.["text/plain"] ?? ""),
        )
        .join("\n");
      const el: HTMLElement = cell.element[0];
      const prompt = el.querySelector(".input_prompt")?.textContent ?? "";
      out.push({
        index,
        gradeId: typeof cell.metadata?.nbgrader?.grade_id === "string" ? cell.metadata.nbgrader.grade_id : null,
        source: cell.get_text(),
        executionCount: typeof cell.input_prompt_number === "number" ? cell.input_prompt_number : null,
        running: prompt.includes("*"),
        text,
        error:
          outputs.some((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr")) ||
          el.querySelector(".output_stderr, .output_error") !== null,
      });
    });
    return out;
  });
}

function describe(cells: CellSummary[]): string {
  return cells
    .map((c) => `  cell ${c.index}${c.gradeId ? ` (${c.gradeId})` : ""} In [${c.running ? "*" : (c.executionCount ?? " ")}] ${JSON.stringify(c.source.split("\n")[0]!.slice(0, 60))}${c.error ? " ERROR" : ""}${c.text ? ` -> ${JSON.stringify(c.text.slice(0, 120))}` : ""}`)
    .join("\n");
}

const find = (cells: CellSummary[], marker: Marker): CellSummary => {
  const cell = cells.find((c) => c.gradeId === marker.gradeId) ?? cells.find((c) => c.source.includes(marker.source));
  if (!cell) {
    throw new Error(`No code cell of ${NOTEBOOK} has grade_id ${marker.gradeId} or contains ${JSON.stringify(marker.source)}:\n${describe(cells)}`);
  }
  return cell;
};

/** Polls `ready` until it returns a value; on timeout throws `what` with the state of the cells. */
async function waitFor<T>(page: Page, what: string, timeoutMs: number, ready: (cells: CellSummary[]) => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let cells: CellSummary[] = [];
  for (;;) {
    cells = await summariseCells(page);
    const value = ready(cells);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}. The code cells:\n${describe(cells)}`);
    await page.waitForTimeout(250);
  }
}

/** The project's kernel specs (kernels/<name>/kernel.json), as the notebook's metadata names them. */
const KERNELS = [
  { name: "tslab", display_name: "TypeScript (tslab, course project)", language: "typescript" },
  { name: "deno", display_name: "TypeScript (Deno, course project)", language: "typescript" },
];

for (const kernel of KERNELS) test(`the release notebook runs in the classic Notebook UI in the ${kernel.name} kernel; the playground and the module inspector work`, async () => {
  // Inside the repository, so that the kernel resolves @courseware/lib and uvu from its node_modules.
  mkdirSync(join(ROOT, ".courseware-work"), { recursive: true });
  const work = mkdtempSync(join(ROOT, ".courseware-work", "ui-"));
  const notebookDir = join(work, "notebook");
  mkdirSync(notebookDir);
  const release = JSON.parse(readFileSync(RELEASE, "utf8")) as { metadata: Record<string, unknown> };
  release.metadata["kernelspec"] = kernel; // as a student's notebook saved in that kernel has it
  writeFileSync(join(notebookDir, NOTEBOOK), JSON.stringify(release, null, 1));

  let server: JupyterServer | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const started = Date.now();
  try {
    server = await startJupyter(notebookDir, join(work, "jupyter"));
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(server.notebookUrl(NOTEBOOK), { waitUntil: "load", timeout: 30_000 });

    // The notebook is loaded and its kernel (the project's) is connected and idle.
    try {
      await page.waitForFunction(
        () => {
          const J = (window as any).Jupyter;
          return (
            J?.notebook?._fully_loaded === true &&
            J.notebook.kernel?.is_connected?.() === true &&
            document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon") === true
          );
        },
        undefined,
        { timeout: 45_000, polling: 250 },
      );
    } catch (e) {
      throw new Error(`The notebook did not load with an idle kernel within 45 s (${(e as Error).message.split("\n")[0]}). Server log:\n${server.log().slice(-4000)}`);
    }
    const kernelName = await page.evaluate(() => (window as any).Jupyter.notebook.kernel.name as string);
    assert.is(kernelName, kernel.name);

    // Run All. It stops at the softmax exercise, which throws; wait until that cell shows its error.
    await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
    // The UI marks every queued cell In [*] at once; when none is left so marked, Run All is over.
    let idleSince: number | undefined;
    await waitFor(page, `the cells up to the softmax exercise to run (its cell showing "Not implemented")`, 90_000, (cells) => {
      const softmax = find(cells, SOFTMAX);
      const failedEarly = cells.find((c) => c.index < softmax.index && c.error);
      if (failedEarly) throw new Error(`Cell ${failedEarly.index} (${failedEarly.gradeId}) failed before the softmax exercise:\n${failedEarly.text}\n\nThe code cells:\n${describe(cells)}`);
      if (softmax.text.includes("Not implemented") && find(cells, INSPECTOR).text !== "") return true;
      if (cells.some((c) => c.running)) idleSince = undefined;
      else if ((idleSince ??= Date.now()) < Date.now() - 2000) {
        throw new Error(`Run All ended without the softmax exercise showing "Not implemented". The code cells:\n${describe(cells)}`);
      }
      return undefined;
    });
    const ranFor = (Date.now() - started) / 1000;

    // What the cells printed.
    const cells = await summariseCells(page);
    const softmax = find(cells, SOFTMAX);
    assert.ok(softmax.error, `The softmax exercise's error is not shown as an error output:\n${softmax.text}`);
    const before = cells.filter((c) => c.index < softmax.index);
    for (const c of before) {
      assert.ok(!c.error, `Cell ${c.index} (${c.gradeId}) shows an error before the softmax exercise:\n${c.text}`);
      assert.ok(c.executionCount !== null, `Cell ${c.index} (${c.gradeId}) before the softmax exercise did not run:\n${describe(cells)}`);
    }
    const tree = find(cells, LOAD_MODEL).text;
    assert.match(tree, "Phi3ForCausalLM(");
    assert.match(tree, "Linear8bitLt(in_features=128");

    // The playgrounds: rendered by their scripts (so the outputs are trusted), the decision map drawn, Step trains.
    const playgrounds = page.locator(".output_area .cwpg");
    await playgrounds.first().waitFor({ state: "visible", timeout: 10_000 }).catch(() => {
      throw new Error("No rendered playground (.cwpg) in an output area: its script did not run.");
    });
    assert.is(await playgrounds.count(), 2, "two playgrounds: the single neuron and the deep network");
    const playground = playgrounds.first();
    await page.waitForFunction(
      (root) => {
        const canvas = root?.querySelector("canvas.cwpg-map") as HTMLCanvasElement | null;
        if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
        const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set<number>();
        for (let i = 0; i < data.length && colours.size < 10; i += 4 * 7) colours.add((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!);
        return colours.size >= 3 && data.some((v, i) => i % 4 === 3 && v > 0);
      },
      await playground.elementHandle(),
      { timeout: 10_000, polling: 200 },
    ).catch(() => {
      throw new Error("The playground's decision map (canvas.cwpg-map) stayed blank.");
    });
    assert.is(await playground.getAttribute("data-epoch"), "0");
    await playground.scrollIntoViewIfNeeded();
    await playground.locator('[data-action="step"]').click();
    await page.waitForFunction((root) => root?.getAttribute("data-epoch") === "1", await playground.elementHandle(), { timeout: 5_000 }).catch(async () => {
      throw new Error(`Step did not train one epoch: data-epoch is ${await playground.getAttribute("data-epoch")}.`);
    });
    await page.screenshot({ path: screenshotPath(`notebook-ui-${kernel.name}-playground`) });

    // The module inspector: a list of the recorded module calls; picking one shows it in the panel.
    const inspector = page.locator(".output_area .cw-inspector");
    assert.is(await inspector.count(), 1, "one module inspector");
    const items = inspector.locator(".cwi-list .cwi-item");
    const count = await items.count();
    assert.ok(count > 10, `the inspector lists the module calls (${count} items)`);
    const item = inspector.locator('.cwi-item[data-name="model.layers.0.self_attn.o_proj"]');
    const picked = (await item.count()) === 1 ? item : items.nth(Math.min(5, count - 1));
    const name = (await picked.getAttribute("data-name")) || "(root)";
    await picked.scrollIntoViewIfNeeded();
    await picked.click();
    const title = inspector.locator('.cwi-panel [data-role="title"]');
    await page
      .waitForFunction(([el, want]) => el?.textContent === want, [await title.elementHandle(), name] as const, { timeout: 5_000 })
      .catch(async () => {
        throw new Error(`Clicking ${name} in the inspector shows ${JSON.stringify(await title.textContent())} in its panel.`);
      });
    assert.is(await picked.getAttribute("aria-selected"), "true");
    assert.match((await inspector.locator(".cwi-panel").textContent()) ?? "", "outputs");
    await inspector.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath(`notebook-ui-${kernel.name}-inspector`) });

    assert.equal(pageErrors, [], `The page threw: ${pageErrors.join("; ")}`);
    console.log(`  ${kernel.name}: Run All reached the softmax exercise ${ranFor.toFixed(1)} s after the server was started`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
