import { test } from "uvu";
import * as assert from "uvu/assert";
import { type HookCall, type Tensor, loadModel } from "../src/index.js";
import { flattenOutput } from "../src/module-signature.js";
import { TINY, tiny } from "./helpers.js";

const PROMPT = "A language model is";

async function hookAll() {
  const { tokenizer, model } = await tiny();
  const calls: HookCall[] = [];
  const handles = model.modules().map((m) => m.registerForwardHook((module, args, output) => void calls.push({ module, args, output })));
  return { tokenizer, model, calls, handles };
}

test("generate() calls hooks in execution order: embedding first, lm_head second to last, root last", async () => {
  const { tokenizer, model, calls, handles } = await hookAll();
  const enc = tokenizer(PROMPT);
  await model.generate({ ...enc, max_new_tokens: 1 });
  handles.forEach((h) => h.remove());
  const names = calls.map((c) => c.module.name);
  assert.is(names[0], "model.embed_tokens");
  assert.is(names.at(-2), "lm_head");
  assert.is(names.at(-1), "");
  assert.not.ok(names.includes("model.layers"), "a ModuleList has no forward, so its hooks never fire");
  // PyTorch order: a module's hook fires after all of its children's
  names.forEach((parent, i) => {
    names.forEach((child, j) => {
      if (parent === "" ? child !== "" : child.startsWith(parent + ".")) assert.ok(j < i, `${child} fired after its parent ${parent || "(root)"}`);
    });
  });
  assert.ok(names.indexOf("model.layers.0.self_attn.qkv_proj") < names.indexOf("model.layers.0.self_attn"));
  assert.ok(names.indexOf("model.layers.0") < names.indexOf("model.layers.1.input_layernorm"));
  const promptLength = (enc.input_ids as Tensor).dims[1];
  const vocab = (model.config as { vocab_size: number }).vocab_size;
  const root = calls.at(-1)!.output as { logits: Tensor };
  assert.equal(root.logits.dims, [1, promptLength, vocab]);
  assert.equal((calls[0]!.output as Tensor).dims, [1, promptLength, (model.config as { hidden_size: number }).hidden_size]);
  assert.equal(calls[0]!.args.map((a) => a.dims), [[1, promptLength]]);
});

test("hooks fire on every decoding step", async () => {
  const { tokenizer, model, calls, handles } = await hookAll();
  await model.generate({ ...tokenizer(PROMPT), max_new_tokens: 3 });
  handles.forEach((h) => h.remove());
  const roots = calls.filter((c) => c.module.name === "");
  assert.is(roots.length, 3);
  assert.equal(roots.map((c) => (c.output as { logits: Tensor }).logits.dims[1]), [5, 1, 1]);
});

test("handles: remove() stops one hook, removing all stops every call", async () => {
  const { tokenizer, model } = await tiny();
  const seen: string[] = [];
  const a = model.getSubmodule("lm_head").registerForwardHook(() => void seen.push("a"));
  const b = model.getSubmodule("model.norm").registerForwardHook(() => void seen.push("b"));
  assert.ok(a.id !== b.id);
  await model.generate({ ...tokenizer(PROMPT), max_new_tokens: 1 });
  assert.equal(seen, ["b", "a"]);
  a.remove();
  a.remove();
  await model.generate({ ...tokenizer(PROMPT), max_new_tokens: 1 });
  assert.equal(seen, ["b", "a", "b"]);
  b.remove();
  await model.generate({ ...tokenizer(PROMPT), max_new_tokens: 1 });
  assert.equal(seen, ["b", "a", "b"]);
});

test("removing hooks during generate(): a hook that removes itself, and one removed by an earlier module's hook", async () => {
  const { tokenizer, model } = await tiny();
  let headCalls = 0;
  let normCalls = 0;
  const head = model.getSubmodule("lm_head").registerForwardHook(() => {
    if (++headCalls === 2) head.remove();
  });
  const norm = model.getSubmodule("model.norm").registerForwardHook(() => void normCalls++);
  // fires before model.norm in the same step, and removes it from then on (PyTorch semantics)
  const remover = model.getSubmodule("model.layers.1").registerForwardHook(() => {
    if (headCalls === 2) norm.remove();
  });
  const ids = (await model.generate({ ...tokenizer(PROMPT), max_new_tokens: 4 })) as Tensor;
  remover.remove();
  assert.is(ids.dims[1], 5 + 4);
  assert.is(headCalls, 2, "lm_head's hook removed itself on the second step");
  assert.is(normCalls, 2, "model.norm's hook was removed on the third step before model.norm ran");
});

test("logits and generated ids with hooks on every module are bit-identical to those without", async () => {
  const { tokenizer, model } = await tiny();
  const enc = tokenizer(PROMPT);
  const plain = Array.from((await model.forward(enc)).logits.data as Float32Array);
  const plainIds = (await model.generate({ ...enc, max_new_tokens: 4 })) as Tensor;
  const { calls, handles } = await hookAll();
  const hooked = Array.from((await model.forward(enc)).logits.data as Float32Array);
  const hookedIds = (await model.generate({ ...enc, max_new_tokens: 4 })) as Tensor;
  handles.forEach((h) => h.remove());
  assert.ok(calls.length > 20);
  assert.is(hooked.length, plain.length);
  assert.ok(hooked.every((x, i) => Object.is(x, plain[i])), "hooked logits differ");
  assert.equal(hookedIds.tolist(), plainIds.tolist());
});

test("packed boundary values (short inputs, from the third pass on) equal the ordinary per-value fetch, bit for bit", async () => {
  const { tokenizer, model } = await loadModel({ model: TINY, dtype: "fp32" }); // a fresh copy: no hooked pass yet
  const enc = tokenizer(PROMPT);
  // passes 1 and 2 fetch one by one (the second starts building the packed graph), pass 3 packed with the shapes,
  // the last packed with the shapes seen in pass 3
  const passes: HookCall[][] = [[], [], [], [], []];
  let pass = 0;
  const handles = model.modules().map((m) => m.registerForwardHook((module, args, output) => void passes[pass]!.push({ module, args, output })));
  try {
    for (pass = 0; pass < passes.length; pass++) {
      if (pass === passes.length - 1) await new Promise((r) => setTimeout(r, 500)); // the shapeless graph is built meanwhile
      await model.forward(enc);
    }
  } finally {
    handles.forEach((h) => h.remove());
  }
  const values = (calls: HookCall[]) => calls.flatMap((c) => [...c.args, ...flattenOutput(c.output)]);
  const [first, second, ...later] = passes.map(values);
  for (const [k, own] of [first!, second!].entries()) assert.ok(own.every((t) => (t.data as Float32Array).byteOffset === 0), `pass ${k + 1} fetches each value on its own`);
  assert.equal(second!.map((t) => Array.from(t.data as Float32Array)), first!.map((t) => Array.from(t.data as Float32Array)));
  for (const [k, other] of later.entries()) {
    assert.ok(other.some((t) => (t.data as Float32Array).byteOffset > 0), `pass ${k + 3} reads views into packed outputs`);
    assert.is(other.length, first!.length);
    other.forEach((t, i) => {
      assert.equal(t.dims, first![i]!.dims);
      assert.is(t.type, first![i]!.type);
      assert.ok(Array.from(t.data as Float32Array).every((x, j) => Object.is(x, (first![i]!.data as Float32Array)[j])), `pass ${k + 3}: value ${i} differs`);
    });
  }
});

test("a hook that throws fails that call, and the model keeps working", async () => {
  const { tokenizer, model } = await tiny();
  const h = model.getSubmodule("lm_head").registerForwardHook(() => {
    throw new Error("broken hook");
  });
  const logError = console.error;
  console.error = () => undefined; // transformers.js logs every failed run with its inputs
  try {
    await model.forward(tokenizer(PROMPT));
    assert.unreachable("the hook error should propagate");
  } catch (e) {
    assert.match((e as Error).message, /broken hook/);
  } finally {
    console.error = logError;
  }
  h.remove();
  assert.equal((await model.forward(tokenizer(PROMPT))).logits.dims.length, 3);
});

test.run();
