import type { Tensor } from "@huggingface/transformers";
import { type ModuleOutput, type ModuleSignature, outputNames } from "./module-signature.js";
import type { Parameter } from "./parameter.js";
import { moduleListRepr, moduleRepr } from "./repr.js";

export type { ModuleOutput } from "./module-signature.js";

type MaybePromise<T> = T | Promise<T>;

/**
 * Called after a module computed its output, with the values it received and returned (PyTorch's contract). A
 * hook that returns a value replaces the output for everything downstream: a Tensor replaces the main output (the
 * hidden state), an output of the same structure replaces the parts that differ. Returning nothing observes only.
 */
export type ForwardHook = (module: Module, args: Tensor[], output: ModuleOutput) => MaybePromise<ModuleOutput | void | undefined>;

/** Called before a module runs, with its args; returning an array (or a Tensor for the first arg) replaces them. */
export type ForwardPreHook = (module: Module, args: Tensor[]) => MaybePromise<Tensor[] | Tensor | void | undefined>;

export interface HookHandle {
  readonly id: number;
  /** Stops this hook; removing twice is harmless. */
  remove(): void;
}

/** One recorded hook call, as the lesson keeps them. */
export interface HookCall {
  module: Module;
  args: Tensor[];
  output: ModuleOutput;
}

/** What a module needs from the model that owns it. */
export interface ModuleRuntime {
  addHook(module: Module, hook: ForwardHook | ForwardPreHook, kind: "forward" | "pre"): HookHandle;
  forwardModule(module: Module, args: unknown[]): Promise<ModuleOutput>;
}

/** A node of the model's module tree, like a PyTorch `nn.Module`. */
export class Module {
  private readonly kids: Module[] = [];

  constructor(
    /** Dotted path from the root, "" for the root (`model.layers.0.self_attn`). */
    readonly name: string,
    /** The PyTorch class of the module (`Phi3DecoderLayer`, `Linear`, `Linear8bitLt` for an 8-bit linear, ...). */
    readonly className: string,
    /** @internal What it takes and returns, in PyTorch's order. */ readonly signature: ModuleSignature,
    private readonly runtime: ModuleRuntime,
    private readonly ownParams: Parameter[] = [],
    /** The text PyTorch prints between the parentheses: "in_features=128, out_features=384, bias=False". */
    readonly extraRepr = "",
  ) {}

  /** @internal */
  addChild(child: Module): void {
    this.kids.push(child);
  }

  /** The name of this module inside its parent ("qkv_proj", "0"). */
  get localName(): string {
    return this.name.slice(this.name.lastIndexOf(".") + 1);
  }

  children(): Module[] {
    return [...this.kids];
  }

  /** This module and all below it, in pre-order. */
  modules(): Module[] {
    return [this, ...this.kids.flatMap((k) => k.modules())];
  }

  /** [name relative to this module, module] pairs in pre-order, this module first as "". */
  namedModules(): Array<[string, Module]> {
    const cut = this.name ? this.name.length + 1 : 0;
    return this.modules().map((m) => [m === this ? "" : m.name.slice(cut), m]);
  }

  /** Weights and biases of this module and, unless `recurse` is false, of all below it. */
  parameters(recurse = true): Parameter[] {
    return recurse ? this.modules().flatMap((m) => m.ownParams) : [...this.ownParams];
  }

  /** [name relative to this module, parameter] pairs, like PyTorch's `named_parameters()`. */
  namedParameters(recurse = true): Array<[string, Parameter]> {
    const cut = this.name ? this.name.length + 1 : 0;
    return this.parameters(recurse).map((p) => [p.fullName.slice(cut), p]);
  }

  /** ONNX names of the values this module receives, in the order of its `args` (the hidden state first). */
  get inputNames(): string[] {
    return [...this.signature.args];
  }

  /** ONNX names of the values this module returns, in the order of its output (the hidden state first). */
  get outputNames(): string[] {
    return outputNames(this.signature.output);
  }

  registerForwardHook(hook: ForwardHook): HookHandle {
    if (typeof hook !== "function") throw new TypeError("registerForwardHook expects a function (module, args, output) => { ... }");
    return this.runtime.addHook(this, hook, "forward");
  }

  registerForwardPreHook(hook: ForwardPreHook): HookHandle {
    if (typeof hook !== "function") throw new TypeError("registerForwardPreHook expects a function (module, args) => { ... }");
    return this.runtime.addHook(this, hook, "pre");
  }

  /**
   * Runs this module on its own. Pass one value per arg, in the order of `inputNames` (a hook's `args`): a Tensor,
   * or (nested) arrays of numbers/bigints. Returns what a hook's `output` would be. Like calling
   * `module.forward(x)` in PyTorch, this does not call hooks.
   */
  forward(...args: unknown[]): Promise<ModuleOutput> {
    return this.runtime.forwardModule(this, args);
  }

  /** The module printed the way PyTorch's `print(module)` does. */
  toString(): string {
    const children = this.kids.map((k): [string, string] => [k.localName, k.toString()]);
    return this.className === "ModuleList" ? moduleListRepr(this.className, children) : moduleRepr(this.className, this.extraRepr, children);
  }
}
