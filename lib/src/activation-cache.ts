// TransformerLens's ActivationCache for an ONNX model: what every module received and returned in one forward
// pass, by the module's dotted name.
import type { Tensor } from "@huggingface/transformers";
import type { HookCall } from "./module.js";
import { flattenOutput, mainOutput } from "./module-signature.js";

export class ActivationCache implements Iterable<HookCall> {
  /** @internal */
  constructor(private readonly calls: Map<string, HookCall>) {}

  /** Module names, in the order their forward finished. */
  keys(): string[] {
    return [...this.calls.keys()];
  }

  has(name: string): boolean {
    return this.calls.has(name);
  }

  get size(): number {
    return this.calls.size;
  }

  /** The module, its args and its output. */
  get(name: string): HookCall {
    const call = this.calls.get(name);
    if (!call) {
      const near = this.keys().filter((k) => k && (k.endsWith(name) || k.includes(name))).slice(0, 5);
      throw new Error(
        `No activation cached for "${name}".${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(", ")}?` : ""} ` +
          "cache.keys() lists what was recorded.",
      );
    }
    return call;
  }

  /**
   * The module's main output: its Tensor, the first of several (an attention's or a decoder layer's hidden
   * state), or the root's logits and the base model's last_hidden_state. `get(name).output` has all of it.
   */
  output(name: string): Tensor {
    return mainOutput(this.get(name).output);
  }

  /** The values the module received. */
  args(name: string): Tensor[] {
    return this.get(name).args;
  }

  [Symbol.iterator](): Iterator<HookCall> {
    return this.calls.values();
  }

  /** Bytes held by the cached tensors; a value passed from one module to the next is counted once. */
  bytes(): number {
    const seen = new Set<unknown>();
    let total = 0;
    const count = (t: Tensor) => {
      const data = t.data as unknown as ArrayBufferView;
      if (seen.has(data)) return;
      seen.add(data);
      total += data.byteLength ?? 0;
    };
    for (const call of this.calls.values()) {
      call.args.forEach(count);
      flattenOutput(call.output).forEach(count);
    }
    return total;
  }

  toString(): string {
    return `ActivationCache with ${this.size} modules, ${(this.bytes() / 1024).toFixed(1)} KiB`;
  }
}
