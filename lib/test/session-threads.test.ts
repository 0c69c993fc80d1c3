// COURSEWARE_ORT_THREADS: the grader's sandboxes give each onnxruntime session one thread; nothing else changes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type HookCall, type Tensor, loadModel } from "../src/index.js";
import { sessionOptions } from "../src/onnx/sibling-session.js";

function withThreads<T>(value: string | undefined, fn: () => T): T {
  const before = process.env["COURSEWARE_ORT_THREADS"];
  if (value === undefined) delete process.env["COURSEWARE_ORT_THREADS"];
  else process.env["COURSEWARE_ORT_THREADS"] = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env["COURSEWARE_ORT_THREADS"];
    else process.env["COURSEWARE_ORT_THREADS"] = before;
  }
}

test("sessions get onnxruntime's own threading unless COURSEWARE_ORT_THREADS is a whole number", () => {
  assert.equal(withThreads(undefined, sessionOptions), {});
  assert.equal(withThreads("1", sessionOptions), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  assert.equal(withThreads("3", sessionOptions), { intraOpNumThreads: 3, interOpNumThreads: 1 });
  for (const bad of ["", "0", "-1", "1.5", "many"]) assert.equal(withThreads(bad, sessionOptions), {}, bad);
});

/** Every hooked module output of one generation step, the logits, and an embedding lookup (a subgraph session). */
async function lessonOutputs(): Promise<Uint8Array[]> {
  const { tokenizer, model } = await loadModel();
  const calls: HookCall[] = [];
  const handles = model.modules().map((m) => m.registerForwardHook((module, args, output) => void calls.push({ module, args, output })));
  await model.generate({ ...tokenizer("A language model is"), max_new_tokens: 1 });
  for (const h of handles) h.remove();
  const tensors: Tensor[] = [];
  for (const c of calls) {
    const o = c.output as Tensor | Tensor[] | { logits: Tensor };
    for (const t of Array.isArray(o) ? o : "logits" in o ? [o.logits] : [o]) if (t && ArrayBuffer.isView(t.data)) tensors.push(t);
  }
  tensors.push((await calls[0]!.module.forward(tokenizer.encode("dog cat car", { add_special_tokens: false }))) as Tensor);
  return tensors.map((t) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

test("one thread per session gives bit-identical outputs (model, hooked and subgraph sessions)", async () => {
  const before = process.env["COURSEWARE_ORT_THREADS"];
  try {
    delete process.env["COURSEWARE_ORT_THREADS"];
    const own = await lessonOutputs();
    process.env["COURSEWARE_ORT_THREADS"] = "1";
    const one = await lessonOutputs();
    assert.ok(own.length > 50, `${own.length} outputs`);
    assert.is(one.length, own.length);
    own.forEach((bytes, i) => assert.ok(Buffer.from(bytes).equals(Buffer.from(one[i]!)), `output ${i} differs`));
  } finally {
    if (before === undefined) delete process.env["COURSEWARE_ORT_THREADS"];
    else process.env["COURSEWARE_ORT_THREADS"] = before;
  }
});

test.run();
