import type { Tensor } from "@huggingface/transformers";
import type { ModuleInfo } from "./onnx/module-graph.js";
import type { Parameter } from "./parameter.js";
import { moduleListRepr, moduleRepr } from "./repr.js";

/** Called after a module computed its output, with the values it received and returned (PyTorch's contract). */
export type ForwardHook = (module: Module, args: Tensor[], output: ModuleOutput) => void;

/** What a module returns: one Tensor, several, or for the whole model `{ logits }`. */
export type ModuleOutput = Tensor | Tensor[] | { logits: Tensor };

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
  addHook(module: Module, hook: ForwardHook): HookHandle;
  forwardModule(module: Module, args: unknown[]): Promise<Tensor | Tensor[]>;
}

/** A node of the model's module tree, like a PyTorch `nn.Module`. */
export class Module {
  private readonly kids: Module[] = [];

  constructor(
    /** Dotted path from the root, "" for the root (`model.layers.0.self_attn`). */
    readonly name: string,
    /** The PyTorch class of the module (`Phi3DecoderLayer`, `Linear`, `Linear8bitLt` for an 8-bit linear, ...). */
    readonly className: string,
    /** @internal */ readonly info: ModuleInfo,
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

  /** Names of the graph values this module receives (its `args` in a hook). */
  get inputNames(): string[] {
    return [...this.info.inputs];
  }

  /** Names of the graph values this module returns. */
  get outputNames(): string[] {
    return [...this.info.outputs];
  }

  registerForwardHook(hook: ForwardHook): HookHandle {
    if (typeof hook !== "function") throw new TypeError("registerForwardHook expects a function (module, args, output) => void");
    return this.runtime.addHook(this, hook);
  }

  /**
   * Runs this module on its own. Pass one value per input (see `inputNames`): a Tensor, or (nested) arrays of
   * numbers/bigints. Like calling `module.forward(x)` in PyTorch, this does not call hooks.
   */
  forward(...args: unknown[]): Promise<Tensor | Tensor[]> {
    return this.runtime.forwardModule(this, args);
  }

  /** The module printed the way PyTorch's `print(module)` does. */
  toString(): string {
    const children = this.kids.map((k): [string, string] => [k.localName, k.toString()]);
    return this.className === "ModuleList" ? moduleListRepr(this.className, children) : moduleRepr(this.className, this.extraRepr, children);
  }
}
