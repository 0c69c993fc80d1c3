// The library loads transformers.js's CommonJS build, the copy a tslab notebook's own import gets, and defers
// sharp (libvips) until something uses it. Each case runs in a fresh Node.js process, which has loaded nothing yet.
import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers.js";

/** Runs an ES module's text in a fresh process started in the project; its stdout, parsed. */
function inFreshProcess(source: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", source], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

const PRELUDE = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const sharpAddon = () => Object.keys(require.cache).some((f) => f.includes("sharp") && f.endsWith(".node"));
`;

test("importing the library does not load sharp; the first image operation does, and gives sharp's result", () => {
  const out = inFreshProcess(`${PRELUDE}
    await import("@courseware/lib");
    const before = sharpAddon();
    const { RawImage } = require("@huggingface/transformers");
    // a 4x4 image, left half black, right half white, halved by sharp (RawImage.resize goes through it)
    const pixels = new Uint8ClampedArray(4 * 4).map((_, i) => (i % 4 < 2 ? 0 : 255));
    const small = await new RawImage(pixels, 4, 4, 1).resize(2, 2, { resample: "nearest" });
    const sharp = require("sharp");
    console.log(JSON.stringify({ before, after: sharpAddon(), size: [small.width, small.height], data: Array.from(small.data), versions: typeof sharp.versions?.vips, same: sharp === require("sharp") }));
  `);
  assert.is(out.before, false, "sharp's native addon is not loaded by the import");
  assert.is(out.after, true, "the image operation loaded it");
  assert.equal(out.size, [2, 2]);
  assert.equal(out.data, [0, 255, 0, 255]);
  assert.is(out.versions, "string", "sharp's own statics are there");
  assert.is(out.same, true);
});

test("the library's Tensor is the class a notebook gets from @huggingface/transformers in tslab (require)", () => {
  const out = inFreshProcess(`${PRELUDE}
    const lib = await import("@courseware/lib");
    const t = require("@huggingface/transformers");
    console.log(JSON.stringify({ same: lib.Tensor === t.Tensor, isInstance: new t.Tensor("float32", [1, 2], [2]) instanceof lib.Tensor }));
  `);
  assert.equal(out, { same: true, isInstance: true });
});

test("where sharp was loaded first, the library leaves it as it is", () => {
  const out = inFreshProcess(`${PRELUDE}
    const sharp = require("sharp");
    await import("@courseware/lib");
    console.log(JSON.stringify({ same: require("sharp") === sharp, addon: sharpAddon() }));
  `);
  assert.equal(out, { same: true, addon: true });
});

test.run();
