import onnxProto from "onnx-proto";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadModel } from "../src/index.js";
import { TINY, tiny } from "./helpers.js";

/** An initializer read straight from the file, without the library. */
function initializer(file: string, name: string): { dims: number[]; data: Float32Array } {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(file));
  const t = model.graph!.initializer!.find((i) => i.name === name)!;
  const raw = t.rawData!;
  return { dims: t.dims!.map(Number), data: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) };
}

test("namedParameters() lists Phi-3's weights with PyTorch's names and shapes", async () => {
  const { model } = await tiny();
  const c = model.config as { hidden_size: number; intermediate_size: number; vocab_size: number; num_hidden_layers: number };
  const H = c.hidden_size, I = c.intermediate_size, V = c.vocab_size;
  const expected: Array<[string, number[]]> = [["model.embed_tokens.weight", [V, H]]];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    expected.push(
      [`${p}.self_attn.o_proj.weight`, [H, H]],
      [`${p}.self_attn.qkv_proj.weight`, [3 * H, H]],
      [`${p}.mlp.gate_up_proj.weight`, [2 * I, H]],
      [`${p}.mlp.down_proj.weight`, [H, I]],
      [`${p}.input_layernorm.weight`, [H]],
      [`${p}.post_attention_layernorm.weight`, [H]],
    );
  }
  expected.push(["model.norm.weight", [H]], ["lm_head.weight", [V, H]]);
  assert.equal(model.namedParameters().map(([n, p]) => [n, p.shape]), expected);
  const total = expected.reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1), 0);
  assert.is(model.parameters().reduce((s, p) => s + p.numel(), 0), total);
  assert.equal(model.getSubmodule("model.layers.0.mlp").namedParameters().map(([n]) => n), ["gate_up_proj.weight", "down_proj.weight"]);
  assert.equal(model.getSubmodule("model.layers.0.mlp").namedParameters(false), []);
});

test("a Linear weight's value() is PyTorch's [out, in] matrix: the transpose of the stored [in, out] one", async () => {
  const { model } = await tiny();
  const p = model.getSubmodule("model.layers.0.self_attn.qkv_proj").parameters()[0]!;
  const stored = initializer(`${TINY}/onnx/model.onnx`, "model.layers.0.self_attn.qkv_proj.weight");
  const [din, dout] = stored.dims as [number, number];
  const w = p.value();
  assert.equal(w.dims, [dout, din]);
  const data = w.data as Float32Array;
  for (const [r, c] of [[0, 0], [1, 0], [0, 1], [dout - 1, din - 1], [7, 3]] as const) {
    assert.is(data[r * din + c], stored.data[c * dout + r], `value[${r}][${c}]`);
  }
});

test("the 8-bit model: linears print as Linear8bitLt, and dequantized weights are within half a step of fp32", async () => {
  const q8 = (await loadModel({ dtype: "q8" })).model;
  const fp32 = (await loadModel({ dtype: "fp32" })).model;
  assert.is(q8.getSubmodule("lm_head").className, "Linear8bitLt");
  assert.match(String(q8), /\(qkv_proj\): Linear8bitLt\(in_features=128, out_features=384, bias=False\)/);
  assert.is(fp32.getSubmodule("lm_head").className, "Linear");
  for (const name of ["model.embed_tokens.weight", "model.layers.2.self_attn.qkv_proj.weight", "lm_head.weight"]) {
    const a = q8.namedParameters().find(([n]) => n === name)![1];
    const b = fp32.namedParameters().find(([n]) => n === name)![1];
    assert.is(a.dtype, "int8");
    assert.equal(a.shape, b.shape);
    const x = a.value().data as Float32Array;
    const y = b.value().data as Float32Array;
    const maxAbs = y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // symmetric int8: a step is at most max|w| / 127 per row or channel
    const worst = x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
    assert.ok(worst <= maxAbs / 127 / 2 + 1e-6, `${name}: max error ${worst} above half a step ${maxAbs / 254}`);
    assert.ok(worst > 0, `${name}: the 8-bit values should not equal fp32 exactly`);
  }
});

test.run();
