// Hooks that change what flows on, with PyTorch's contract (torch.nn.Module.register_forward_hook: "The hook can
// modify the output ... it will replace the output"; register_forward_pre_hook: a returned value replaces the
// input): the replacement reaches everything downstream, later hooks, the logits and generate()'s next token.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type CausalLM, type PreTrainedTokenizer, Tensor, loadModel } from "../src/index.js";

let loaded: Promise<{ tokenizer: PreTrainedTokenizer; model: CausalLM }> | null = null;
const lm = () => (loaded ??= loadModel()); // the shipped default model, 8-bit, as the lessons use it
const PROMPT = "A language model is";

const zerosLike = (t: Tensor) => new Tensor(t.type as "float32", new Float32Array(t.data.length), [...t.dims]);
const copyOf = (t: Tensor) => new Tensor(t.type as "float32", (t.data as Float32Array).slice(), [...t.dims]);
const maxDiff = (a: Tensor, b: Tensor) => {
  assert.equal(a.dims, b.dims);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs((a.data[i] as number) - (b.data[i] as number)));
  return m;
};
const identical = (a: Tensor, b: Tensor) => a.data.length === b.data.length && Array.from(a.data as Float32Array).every((x, i) => Object.is(x, b.data[i]));

test("zero-ablating an MLP changes the logits exactly as recomputing the later modules by hand does", async () => {
  const { tokenizer, model } = await lm();
  const enc = tokenizer(PROMPT);
  const { logits: plain, cache } = await model.runWithCache(enc);
  const { logits: ablated } = await model.runWithHooks(enc, { fwdHooks: [["model.layers.1.mlp", (_m, _a, out) => zerosLike(out as Tensor)]] });
  assert.ok(maxDiff(plain, ablated) > 0.1, "removing an MLP changes the logits");

  // by hand: layer 1's output is its residual stream before the MLP plus zero; then layers 2.., the norm, lm_head
  let hidden = cache.args("model.layers.1.post_attention_layernorm")[0]!;
  for (let l = 2; l < (model.config.num_hidden_layers as number); l++) {
    const [, ...rest] = cache.args(`model.layers.${l}`);
    hidden = ((await model.getSubmodule(`model.layers.${l}`).forward(hidden, ...rest)) as Tensor[])[0]!;
  }
  const byHand = (await model.getSubmodule("lm_head").forward(await model.getSubmodule("model.norm").forward(hidden))) as Tensor;
  assert.ok(maxDiff(byHand, ablated) <= 1e-5, `ablated logits differ from the hand computation by ${maxDiff(byHand, ablated)}`);
});

test("patching a layer's output from another prompt's cache: the clean logits come back, causally", async () => {
  const { tokenizer, model } = await lm();
  const clean = tokenizer("The dog chased the cat");
  const corrupted = tokenizer("The car chased the cat");
  assert.equal(clean.input_ids.dims, corrupted.input_ids.dims, "prompts of one length");
  const { logits: cleanLogits, cache } = await model.runWithCache(clean);
  const { logits: corruptLogits } = await model.forward(corrupted);
  const layer = "model.layers.1";
  const cleanHidden = cache.output(layer);

  // the whole residual stream after layer 1: layers 2.. see only it (and positions), so the clean logits return
  const full = await model.runWithHooks(corrupted, { fwdHooks: [[layer, () => cleanHidden]] });
  assert.ok(maxDiff(full.logits, cleanLogits) <= 1e-5, "patching all positions restores the clean run");
  assert.ok(maxDiff(corruptLogits, cleanLogits) > 0.1, "the prompts differ");

  // one position (the first where the prompts differ): earlier positions cannot see it
  const [, T, D] = cleanHidden.dims as [number, number, number];
  const ids = (e: typeof clean) => Array.from(e.input_ids.data as BigInt64Array);
  const pos = ids(clean).findIndex((id, i) => id !== ids(corrupted)[i]);
  const patched = await model.runWithHooks(corrupted, {
    fwdHooks: [
      [
        layer,
        (_m, _a, out) => {
          const h = copyOf((out as Tensor[])[0]!);
          (h.data as Float32Array).set((cleanHidden.data as Float32Array).subarray(pos * D, (pos + 1) * D), pos * D);
          return h;
        },
      ],
    ],
  });
  const V = patched.logits.dims[2]!;
  const row = (t: Tensor, p: number) => new Tensor("float32", (t.data as Float32Array).slice(p * V, (p + 1) * V), [V]);
  for (let p = 0; p < pos; p++) assert.ok(identical(row(patched.logits, p), row(corruptLogits, p)), `position ${p} is unchanged`);
  for (let p = pos; p < T; p++) assert.ok(maxDiff(row(patched.logits, p), row(corruptLogits, p)) > 0, `position ${p} sees the patch`);
});

test("replacing outputs with copies of themselves leaves the logits and generated ids bit-identical", async () => {
  const { tokenizer, model } = await lm();
  const enc = tokenizer(PROMPT);
  const { logits: plain } = await model.forward(enc);
  const plainIds = (await model.generate({ ...enc, max_new_tokens: 3 })) as Tensor;
  const copies = new Set<string>();
  const handles = ["model.embed_tokens", "model.layers.0.self_attn", "model.layers.2", "model.norm", ""].map((name) =>
    model.getSubmodule(name).registerForwardHook((module, _args, out) => {
      copies.add(module.name);
      if (Array.isArray(out)) return out.map(copyOf);
      if ("logits" in out) return { logits: copyOf(out.logits), past_key_values: out.past_key_values!.map(([k, v]) => [copyOf(k), copyOf(v)]) };
      return copyOf(out as Tensor);
    }),
  );
  try {
    const { logits } = await model.forward(enc);
    assert.is(copies.size, 5, "every replacing hook ran");
    assert.ok(identical(logits, plain), "logits after replacing with equal copies");
    const ids = (await model.generate({ ...enc, max_new_tokens: 3 })) as Tensor;
    assert.equal(ids.tolist(), plainIds.tolist());
  } finally {
    handles.forEach((h) => h.remove());
  }
});

test("later hooks see the replacement: the parent's output, a second hook on the module, generate()'s next token", async () => {
  const { tokenizer, model } = await lm();
  const enc = tokenizer(PROMPT);
  const seen: Record<string, Tensor> = {};
  const { logits } = await model.runWithHooks(enc, {
    fwdHooks: [
      ["model.layers.0.mlp", (_m, _a, out) => zerosLike(out as Tensor)],
      ["model.layers.0.mlp", (_m, _a, out) => void (seen.second = out as Tensor)],
      ["model.layers.0.post_attention_layernorm", (_m, args) => void (seen.residual = args[0]!)],
      ["model.layers.0", (_m, _a, out) => void (seen.layer = (out as Tensor[])[0]!)],
    ],
  });
  assert.ok((seen.second!.data as Float32Array).every((x) => x === 0), "the module's next hook gets the replaced output");
  assert.ok(maxDiff(seen.layer!, seen.residual!) === 0, "layer 0 returns its residual stream plus the zeroed MLP");
  assert.equal(logits.dims.length, 3);

  // a forward hook on lm_head that makes token 42 the most likely: greedy generation follows it
  const h = model.getSubmodule("lm_head").registerForwardHook((_m, _a, out) => {
    const t = copyOf(out as Tensor);
    const V = t.dims[2]!;
    for (let p = 0; p < t.dims[1]!; p++) (t.data as Float32Array)[p * V + 42] = 1e4;
    return t;
  });
  try {
    const ids = (await model.generate({ ...enc, max_new_tokens: 3 })) as Tensor;
    assert.equal((ids.tolist() as bigint[][])[0]!.slice(-3), [42n, 42n, 42n]);
  } finally {
    h.remove();
  }
});

test("a pre-hook replaces a module's args for that module only; async hooks are awaited", async () => {
  const { tokenizer, model } = await lm();
  const enc = tokenizer(PROMPT);
  const seen: Record<string, Tensor> = {};
  const { logits: plain } = await model.forward(enc);
  const { logits } = await model.runWithHooks(enc, {
    preHooks: [["model.layers.1.input_layernorm", async (_m, args) => (await new Promise((r) => setTimeout(r, 5)), zerosLike(args[0]!))]],
    fwdHooks: [
      ["model.layers.1.input_layernorm", (_m, args) => void (seen.normIn = args[0]!)],
      ["model.layers.1", (_m, args) => void (seen.layerIn = args[0]!)],
      ["model.layers.1.self_attn", (_m, _a, out) => void (seen.attn = (out as Tensor[])[0]!)],
      ["model.layers.1.post_attention_layernorm", (_m, args) => void (seen.residual = args[0]!)],
    ],
  });
  assert.ok((seen.normIn!.data as Float32Array).every((x) => x === 0), "the norm's forward hook sees the replaced args");
  assert.ok(!(seen.layerIn!.data as Float32Array).every((x) => x === 0), "the layer itself received the original hidden state");
  // the residual connection outside the norm still adds the original hidden state (PyTorch: only the norm's input changed)
  const sum = new Tensor("float32", Float32Array.from(seen.layerIn!.data as Float32Array, (x, i) => x + (seen.attn!.data as Float32Array)[i]!), [...seen.layerIn!.dims]);
  assert.ok(maxDiff(sum, seen.residual!) <= 1e-6, "residual = original hidden state + attention of the zeroed norm input");
  assert.ok(maxDiff(logits, plain) > 0, "the logits changed");
});

test("removal during a pass: a replacing hook removed by an earlier module's hook does not intervene", async () => {
  const { tokenizer, model } = await lm();
  const enc = tokenizer(PROMPT);
  const { logits: plain } = await model.forward(enc);
  const ablate = model.getSubmodule("model.layers.3.mlp").registerForwardHook((_m, _a, out) => zerosLike(out as Tensor));
  const remover = model.getSubmodule("model.layers.0").registerForwardHook(() => ablate.remove());
  try {
    const { logits } = await model.forward(enc);
    assert.ok(identical(logits, plain), "the ablation was removed before layer 3 ran");
  } finally {
    remover.remove();
  }
});

test("many different interventions in a loop: each ablation is right, also after its cut graph was released", async () => {
  const { tokenizer, model } = await lm();
  const enc = tokenizer(PROMPT);
  const modules = model.modules().filter((m) => m.outputNames.length === 1 && m.name !== "lm_head" && m.className !== "ModuleList").map((m) => m.name);
  assert.ok(modules.length > 16, "more interventions than cut graphs kept");
  const ablate = (name: string) => model.runWithHooks(enc, { fwdHooks: [[name, (_m, _a, out) => zerosLike(out as Tensor)]] });
  const first = await ablate(modules[0]!);
  for (const name of modules.slice(1)) await ablate(name);
  const again = await ablate(modules[0]!);
  assert.ok(identical(again.logits, first.logits), "the same ablation gives the same logits after its graph was rebuilt");
});

test("a replacement of the wrong shape or type is refused with a message naming the module", async () => {
  const { tokenizer, model } = await lm();
  const enc = tokenizer(PROMPT);
  const log = console.error;
  console.error = () => undefined; // transformers.js logs every failed run
  try {
    for (const [back, pattern] of [
      [new Tensor("float32", new Float32Array(6), [1, 6]), /hook on "model\.layers\.0\.mlp".*shape \[1, 6\].*\[1, 6, 128\]/],
      ["zeros", /should return nothing or a Tensor/],
    ] as const) {
      try {
        await model.runWithHooks(enc, { fwdHooks: [["model.layers.0.mlp", () => back as unknown as Tensor]] });
        assert.unreachable("the replacement should be refused");
      } catch (e) {
        assert.match((e as Error).message, pattern);
      }
    }
  } finally {
    console.error = log;
  }
  assert.equal((await model.forward(enc)).logits.dims.length, 3, "the model keeps working, with no hooks left");
});

test("runWithCache and runWithHooks take a name filter, as TransformerLens's names_filter", async () => {
  const { tokenizer, model } = await lm();
  const { cache } = await model.runWithCache(tokenizer(PROMPT), { names: (n) => n.endsWith(".mlp") });
  assert.equal(cache.keys(), [0, 1, 2, 3].map((l) => `model.layers.${l}.mlp`));
  let calls = 0;
  await model.runWithHooks(tokenizer(PROMPT), { fwdHooks: [[(n) => /^model\.layers\.\d+$/.test(n), () => void calls++]] });
  assert.is(calls, 4);
});

test.run();
