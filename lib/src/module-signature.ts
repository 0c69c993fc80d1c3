// What a module receives and returns, in the order its PyTorch forward takes and returns them. The ONNX graph only
// says which values cross a module's boundary, in graph order; PyTorch's modules take the hidden state first and
// return it first, with the key/value cache after it:
//   attention, decoder layer   (hidden, ...) -> [output, present key, present value]
//   base model (Phi3Model)     (input_ids, attention_mask, position_ids, past...) -> { last_hidden_state, past_key_values }
//   root (Phi3ForCausalLM)     the same args -> { logits, past_key_values }
import type { Tensor } from "@huggingface/transformers";
import type { ModuleInfo } from "./onnx/module-graph.js";

/** One layer's cache entry, as Hugging Face's legacy `past_key_values` holds it. */
export type KeyValue = [key: Tensor, value: Tensor];

/** The root's output, as Hugging Face's `CausalLMOutputWithPast`. */
export interface CausalLMOutput {
  logits: Tensor;
  past_key_values?: KeyValue[];
}

/** The base model's output, as Hugging Face's `BaseModelOutputWithPast`. */
export interface BaseModelOutput {
  last_hidden_state: Tensor;
  past_key_values?: KeyValue[];
}

/** What a module returns: one Tensor, a tuple (hidden state first), or the root's and base model's records. */
export type ModuleOutput = Tensor | Tensor[] | CausalLMOutput | BaseModelOutput;

/** Where a module's output values sit in what it returns; the strings are ONNX value names. */
export type OutputLayout =
  | { kind: "tensor"; name: string }
  | { kind: "tuple"; names: string[] }
  | { kind: "record"; main: "logits" | "last_hidden_state"; name: string; cache: Array<[string, string]> };

export interface ModuleSignature {
  /** ONNX value names of the args, in PyTorch's order. */
  args: string[];
  output: OutputLayout;
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;
const PRESENT = /^present\.(\d+)\.(key|value)$/;

/** Cache entries in layer order, key before value. */
function cacheOrder(names: string[], pattern: RegExp): string[] {
  const rank = (n: string) => {
    const m = pattern.exec(n)!;
    return Number(m[1]) * 2 + (m[2] === "value" ? 1 : 0);
  };
  return names.filter((n) => pattern.test(n)).sort((a, b) => rank(a) - rank(b));
}

/**
 * The module's signature. `graphInputs` are the graph's inputs in their order (torch.onnx.export keeps the
 * forward's argument order); `role` says whether the module is the root, the base model, or any other.
 */
export function signatureOf(info: ModuleInfo, graphInputs: string[], role: "root" | "base" | "module"): ModuleSignature {
  const fromGraph = new Set(graphInputs);
  const inner = info.inputs.filter((n) => !fromGraph.has(n));
  const outer = graphInputs.filter((n) => info.inputs.includes(n) && !PAST.test(n));
  const args = [...inner, ...outer, ...cacheOrder(info.inputs, PAST)];

  const main = info.outputs.filter((n) => !PRESENT.test(n));
  const presents = cacheOrder(info.outputs, PRESENT);
  if (role !== "module" && main.length === 1) {
    const cache: Array<[string, string]> = [];
    for (let i = 0; i + 1 < presents.length; i += 2) cache.push([presents[i]!, presents[i + 1]!]);
    return { args, output: { kind: "record", main: role === "root" ? "logits" : "last_hidden_state", name: main[0]!, cache } };
  }
  const names = [...main, ...presents];
  return { args, output: names.length === 1 ? { kind: "tensor", name: names[0]! } : { kind: "tuple", names } };
}

/** The output value names in the order `flattenOutput` gives them. */
export function outputNames(layout: OutputLayout): string[] {
  if (layout.kind === "tensor") return [layout.name];
  if (layout.kind === "tuple") return [...layout.names];
  return [layout.name, ...layout.cache.flat()];
}

/** Builds what the module returns from its values by name. */
export function buildOutput(layout: OutputLayout, value: (name: string) => Tensor): ModuleOutput {
  if (layout.kind === "tensor") return value(layout.name);
  if (layout.kind === "tuple") return layout.names.map(value);
  const pkv = layout.cache.map(([k, v]): KeyValue => [value(k), value(v)]);
  const main = value(layout.name);
  const cache = pkv.length ? { past_key_values: pkv } : {};
  return layout.main === "logits" ? { logits: main, ...cache } : { last_hidden_state: main, ...cache };
}

/** The tensors of an output in `outputNames` order. */
export function flattenOutput(output: ModuleOutput): Tensor[] {
  if (Array.isArray(output)) return [...output];
  if (isTensor(output)) return [output as Tensor];
  const main = "logits" in output ? output.logits : output.last_hidden_state;
  return [main, ...(output.past_key_values ?? []).flat()];
}

/** The module's main value: the output itself, the first of a tuple, or the record's logits / last_hidden_state. */
export function mainOutput(output: ModuleOutput): Tensor {
  return flattenOutput(output)[0]!;
}

/** A Tensor of this library's class or of another copy of transformers.js / onnxruntime (same fields). */
export function isTensor(value: unknown): value is Pick<Tensor, "type" | "data" | "dims"> {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { dims?: unknown; type?: unknown; data?: unknown };
  return Array.isArray(v.dims) && typeof v.type === "string" && v.data !== undefined;
}

/** How people reach each value of an output (in `flattenOutput` order): `output[1]`, `output.past_key_values[0][1]`. */
export function outputLabels(output: ModuleOutput): string[] {
  if (Array.isArray(output)) return output.map((_, i) => `output[${i}]`);
  if (isTensor(output)) return ["output"];
  const main = "logits" in output ? "logits" : "last_hidden_state";
  return [`output.${main}`, ...(output.past_key_values ?? []).flatMap((_, i) => [`output.past_key_values[${i}][0]`, `output.past_key_values[${i}][1]`])];
}
