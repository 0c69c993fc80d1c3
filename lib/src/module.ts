import type { Tensor } from "@huggingface/transformers";
import type { ModuleInfo } from "./onnx/module-graph.js";

/** Called after a module computed its output, with the values it received and returned (PyTorch's contract). */
export type ForwardHook = (module: Module, args: Tensor[], output: unknown) => void;

export interface HookHandle {
  readonly id: number;
  /** Stops this hook; removing twice is harmless. */
  remove(): void;
}

/** One recorded hook call, as the lesson keeps them. */
export interface HookCall {
  module: Module;
  args: Tensor[];
  output: unknown;
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
    /** The PyTorch class of the module (`Phi3DecoderLayer`, `Linear`, ...). */
    readonly className: string,
    /** @internal */ readonly info: ModuleInfo,
    private readonly runtime: ModuleRuntime,
  ) {}

  /** @internal */
  addChild(child: Module): void {
    this.kids.push(child);
  }

  children(): Module[] {
    return [...this.kids];
  }

  /** This module and all below it, in pre-order. */
  modules(): Module[] {
    return [this, ...this.kids.flatMap((k) => k.modules())];
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

  toString(): string {
    const pad = (s: string) => s.replace(/\n/g, "\n  ");
    if (this.kids.length === 0) return `${this.className}()`;
    const lines = this.kids.map((k) => pad(`(${k.name.slice(this.name ? this.name.length + 1 : 0)}): ${k.toString()}`));
    return `${this.className}(\n  ${lines.join("\n  ")}\n)`;
  }
}
