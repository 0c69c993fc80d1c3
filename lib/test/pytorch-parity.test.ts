// The library's hooks held to PyTorch's. The fixture was made by model-cache/recipe/hook_fixture.py: the default
// model's model.safetensors run in PyTorch with the architecture it was exported from (model-cache/recipe/model.py),
// a forward pre-hook and a forward hook on every module (torch.nn.Module.register_forward_pre_hook /
// register_forward_hook). Every call must come in PyTorch's order, with the same args and output, in order.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type CausalLM, Tensor, loadModel } from "../src/index.js";
import { flattenOutput } from "../src/module-signature.js";
import { ROOT } from "./helpers.js";

interface Summary {
  shape: number[];
  dtype: string;
  values?: number[];
  stats?: number[];
}
type Event = { pre: string } | { forward: string; args: number[]; output: number[] };
interface Case {
  name: string;
  input_ids: number[];
  past_length: number;
  values: Summary[];
  calls: Event[];
}
const fixture = JSON.parse(readFileSync(`${ROOT}lib/test/fixtures/pytorch-hooks.json`, "utf8")) as { model: string; weights_sha256: string; cases: Case[] };

test("the fixture was made from the shipped weights", () => {
  const digest = createHash("sha256").update(readFileSync(`${ROOT}model-cache/${fixture.model}/model.safetensors`)).digest("hex");
  assert.is(digest, fixture.weights_sha256, "the model changed: remake the fixture with /usr/bin/python3 model-cache/recipe/hook_fixture.py");
});

/** The fixture's summary of a tensor, computed as the script does (in float64). */
function summarise(t: Tensor): Summary {
  const s: Summary = { shape: [...t.dims], dtype: t.type };
  const n = t.data.length;
  if (t.type === "int64") s.values = Array.from(t.data as BigInt64Array, Number);
  else if (n > 0) {
    const x = t.data as Float32Array;
    let sum = 0, sq = 0, p1 = 0, p2 = 0;
    for (let i = 0; i < n; i++) {
      sum += x[i]!;
      sq += x[i]! * x[i]!;
      p1 += Math.sin(i * (0.7548776662466927 + 1) + 0.5) * x[i]!;
      p2 += Math.sin(i * (0.7548776662466927 + 2) + 1) * x[i]!;
    }
    s.stats = [sum / n, Math.sqrt(sq / n), p1 / n, p2 / n];
  }
  return s;
}

type Recorded = { pre: string } | { forward: string; args: Summary[]; output: Summary[] };

/** One pass through transformers.js's own session call (as generate() makes it), every module hooked. */
async function hookedRun(model: CausalLM, ids: number[], past: Record<string, Tensor> | null): Promise<{ events: Recorded[]; presents: Record<string, Tensor> }> {
  const layers = model.config.num_hidden_layers as number;
  const heads = model.config.num_key_value_heads as number;
  const headDim = model.config.head_dim as number;
  const P = past ? past["past_key_values.0.key"]!.dims[2]! : 0;
  const T = ids.length;
  const int64 = (xs: number[]) => new Tensor("int64", BigInt64Array.from(xs, BigInt), [1, xs.length]);
  const feeds: Record<string, Tensor> = {
    input_ids: int64(ids),
    attention_mask: int64(Array(P + T).fill(1)),
    position_ids: int64(ids.map((_, i) => P + i)),
  };
  for (let l = 0; l < layers; l++) {
    for (const kind of ["key", "value"]) {
      feeds[`past_key_values.${l}.${kind}`] = past?.[`past_key_values.${l}.${kind}`] ?? new Tensor("float32", new Float32Array(0), [1, heads, 0, headDim]);
    }
  }
  const events: Recorded[] = [];
  const handles = model.modules().flatMap((m) => [
    m.registerForwardPreHook((module) => void events.push({ pre: module.name })),
    m.registerForwardHook((module, args, output) => void events.push({ forward: module.name, args: args.map(summarise), output: flattenOutput(output).map(summarise) })),
  ]);
  const session = (model.hf as unknown as { sessions: { model: { run(f: unknown): Promise<Record<string, { type: string; data: unknown; dims: number[] }>> } } }).sessions.model;
  try {
    const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, v.ort_tensor])));
    const presents: Record<string, Tensor> = {};
    for (let l = 0; l < layers; l++) {
      for (const kind of ["key", "value"]) {
        const t = out[`present.${l}.${kind}`]!;
        presents[`past_key_values.${l}.${kind}`] = new Tensor(t.type as "float32", t.data as Float32Array, t.dims);
      }
    }
    return { events, presents };
  } finally {
    handles.forEach((h) => h.remove());
  }
}

function compare(got: Summary, want: Summary, tolerance: number, where: string): void {
  assert.equal(got.shape, want.shape, `${where}: shape`);
  assert.is(got.dtype, want.dtype, `${where}: dtype`);
  if (want.values) assert.equal(got.values, want.values, `${where}: values`);
  if (want.stats) {
    const scale = want.stats[1]!; // the reference's root mean square
    const names = ["mean", "rms", "projection 1", "projection 2"];
    want.stats.forEach((w, k) => {
      const g = got.stats![k]!;
      assert.ok(Math.abs(g - w) <= tolerance * scale + 1e-6, `${where}: ${names[k]} ${g} vs PyTorch ${w} (tolerance ${tolerance} x rms ${scale})`);
    });
  }
}

// fp32 runs the same weights as PyTorch: only float rounding differs. q8 stores each weight in 8 bits (per-row
// scales), so its values drift from PyTorch's: measured at most 4.5e-7 x rms (fp32) and 8.5e-3 x rms (q8) over these cases.
for (const [dtype, tolerance] of [["fp32", 1e-5], ["q8", 0.03]] as const) {
  test(`${dtype}: every hooked module's args and output match PyTorch's, in PyTorch's order of calls`, async () => {
    const { model } = await loadModel({ model: fixture.model, dtype });
    let presents: Record<string, Tensor> | null = null;
    let worst = 0;
    for (const c of fixture.cases) {
      const run: { events: Recorded[]; presents: Record<string, Tensor> } = await hookedRun(model, c.input_ids, c.past_length ? presents : null);
      if (!c.past_length) presents ??= run.presents;
      const order = (es: Array<Event | Recorded>) => es.map((e) => ("pre" in e ? `pre ${e.pre}` : `forward ${e.forward}`));
      assert.equal(order(run.events), order(c.calls), `${c.name}: the order of hook calls`);
      c.calls.forEach((want, i) => {
        if ("pre" in want) return;
        const got = run.events[i] as Extract<Recorded, { forward: string }>;
        for (const part of ["args", "output"] as const) {
          assert.is(got[part].length, want[part].length, `${c.name}, ${want.forward || "root"}: number of ${part}`);
          want[part].forEach((id, j) => {
            const ref = c.values[id]!;
            compare(got[part][j]!, ref, tolerance, `${c.name}, ${want.forward || "root"} ${part}[${j}]`);
            if (ref.stats) worst = Math.max(worst, ...ref.stats.map((w, k) => Math.abs(got[part][j]!.stats![k]! - w) / Math.max(ref.stats![1]!, 1e-6)));
          });
        }
      });
    }
    assert.ok(worst > 0, "values were compared");
    if (process.env.PARITY_REPORT) console.log(`${dtype}: largest drift ${worst.toExponential(2)} x rms`);
  });
}

test.run();
