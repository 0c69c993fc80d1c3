import type { PreTrainedModel, Tensor } from "@huggingface/transformers";
import type { InferenceSession } from "onnxruntime-node";
import { ActivationCache } from "./activation-cache.js";
import { classNameOf, familyOf } from "./families/index.js";
import { type HookEvent, SessionHooks } from "./hooks.js";
import { type ForwardHook, type ForwardPreHook, type HookCall, type HookHandle, Module, type ModuleOutput, type ModuleRuntime } from "./module.js";
import { buildOutput, signatureOf } from "./module-signature.js";
import { type ModelProto, extractSubgraph } from "./onnx/graph-io.js";
import { type ModuleInfo, analyzeModules } from "./onnx/module-graph.js";
import { findParameters } from "./onnx/parameters.js";
import { createSiblingSession } from "./onnx/sibling-session.js";
import { Parameter } from "./parameter.js";
import { extraRepr } from "./repr.js";
import { fromOrt, toOrtFeed } from "./to-tensor.js";

export type Dtype = "q8" | "fp32";
const FLOAT = 1; // onnx.TensorProto.DataType.FLOAT
type GenerateInputs = Parameters<PreTrainedModel["generate"]>[0];

/** A causal language model with a PyTorch-style module tree and forward hooks over its ONNX graph. */
export class CausalLM implements ModuleRuntime {
  private readonly root: Module;
  private readonly byName = new Map<string, Module>();
  private readonly hooks: SessionHooks;
  private readonly subgraphs = new Map<string, Promise<InferenceSession>>();
  /** ONNX element types of the graph inputs; a module input made inside the graph is float. */
  private readonly inputTypes: Map<string, number>;

  constructor(
    /** The transformers.js model this wraps. */
    readonly hf: PreTrainedModel,
    private readonly proto: ModelProto,
    readonly dtype: Dtype,
    /** The model folder it was loaded from. */
    readonly dir: string,
  ) {
    this.inputTypes = new Map((proto.graph!.input ?? []).map((v) => [v.name!, v.type?.tensorType?.elemType ?? FLOAT]));
    const config = this.config;
    const family = familyOf(config.model_type as string | undefined);
    const architecture = (config.architectures as string[] | undefined)?.[0];
    const classOf = (path: string) => classNameOf(family, path, architecture);
    const infos = analyzeModules(proto.graph!);
    const infoByName = new Map(infos.map((i) => [i.name, i]));
    const params = findParameters(proto.graph!, (path) => classOf(path) === "Conv1D");
    const graphInputs = (proto.graph!.input ?? []).map((v) => v.name!);
    const base = family.baseModel ?? infos[0]!.children.find((c) => infoByName.get(c)!.children.some((k) => classOf(k) === "ModuleList"));
    for (const info of infos) {
      const own = (params.get(info.name) ?? []).map((p) => new Parameter(p));
      const weight = own.find((p) => p.name === "weight");
      const className = classOf(info.name) === "Linear" && weight?.dtype.endsWith("int8") ? "Linear8bitLt" : classOf(info.name);
      const padded = family.paddedEmbeddings?.test(info.name) ?? false;
      const extra = extraRepr({ className, params: own, config, padded });
      const signature = signatureOf(info, graphInputs, info.name === "" ? "root" : info.name === base ? "base" : "module");
      this.byName.set(info.name, new Module(info.name, className, signature, this, own, extra));
    }
    // link children in PyTorch's registration order, so that modules() and print(model) follow it
    const link = (info: (typeof infos)[number]) => {
      const parent = this.byName.get(info.name)!;
      const order = family.childOrder?.[parent.className] ?? [];
      const rank = (path: string) => {
        const i = order.indexOf(path.slice(path.lastIndexOf(".") + 1));
        return i < 0 ? order.length : i;
      };
      const kids = [...info.children].sort((a, b) => rank(a) - rank(b));
      for (const kid of kids) parent.addChild(this.byName.get(kid)!);
      for (const kid of kids) link(infoByName.get(kid)!);
    };
    link(infos[0]!);
    this.root = this.byName.get("")!;
    this.hooks = new SessionHooks(this.session, proto, hookTimeline(infos).map(({ kind, info }) => ({ kind, module: this.byName.get(info.name)! })));
  }

  private get session(): InferenceSession {
    return (this.hf as unknown as { sessions: Record<string, InferenceSession> }).sessions["model"]!;
  }

  get config(): Record<string, unknown> {
    return this.hf.config as unknown as Record<string, unknown>;
  }

  /** Every module in pre-order, the root (name "") first. */
  modules(): Module[] {
    return this.root.modules();
  }

  namedModules(): Array<[string, Module]> {
    return this.modules().map((m) => [m.name, m]);
  }

  getSubmodule(name: string): Module {
    const m = this.byName.get(name);
    if (!m) {
      const near = [...this.byName.keys()].filter((n) => n && (n.endsWith(name) || name.startsWith(n))).slice(0, 5);
      throw new Error(`No module named "${name}".${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(", ")}?` : ""} See model.modules() for all names.`);
    }
    return m;
  }

  /** Runs the whole model once on tokenized inputs and returns the logits, [batch, sequence, vocabulary]. */
  async forward(inputs: Record<string, unknown>): Promise<{ logits: Tensor }> {
    const out = (await (this.hf as unknown as (i: unknown) => Promise<{ logits: Tensor }>)(inputs)) as { logits: Tensor };
    return { logits: out.logits };
  }

  /** Every weight and bias, like PyTorch's `model.named_parameters()`. */
  namedParameters(): Array<[string, Parameter]> {
    return this.root.namedParameters();
  }

  parameters(): Parameter[] {
    return this.root.parameters();
  }

  /**
   * Runs the model once with a forward hook on every module (or on those `names` lists, or those whose name the
   * filter accepts, as TransformerLens's `names_filter`) and returns the logits with every module's args and
   * output by name, like TransformerLens's `run_with_cache`.
   */
  async runWithCache(inputs: Record<string, unknown>, options: { names?: string[] | ((name: string) => boolean) } = {}): Promise<{ logits: Tensor; cache: ActivationCache }> {
    const calls = new Map<string, HookCall>();
    const hook: ForwardHook = (module, args, output) => void calls.set(module.name, { module, args, output });
    const { logits } = await this.runWithHooks(inputs, { fwdHooks: [[options.names ?? (() => true), hook]] });
    return { logits, cache: new ActivationCache(calls) };
  }

  /**
   * One forward pass with hooks that are removed afterwards (also when the pass fails), like TransformerLens's
   * `run_with_hooks`: each entry names a module, a list of names, or a filter on names.
   */
  async runWithHooks(inputs: Record<string, unknown>, hooks: { fwdHooks?: Array<[ModuleSelector, ForwardHook]>; preHooks?: Array<[ModuleSelector, ForwardPreHook]> }): Promise<{ logits: Tensor }> {
    const handles: HookHandle[] = [];
    try {
      for (const [which, fn] of hooks.fwdHooks ?? []) for (const m of this.select(which)) handles.push(m.registerForwardHook(fn));
      for (const [which, fn] of hooks.preHooks ?? []) for (const m of this.select(which)) handles.push(m.registerForwardPreHook(fn));
      return await this.forward(inputs);
    } finally {
      for (const h of handles) h.remove();
    }
  }

  private select(which: ModuleSelector): Module[] {
    if (typeof which === "string") return [this.getSubmodule(which)];
    if (Array.isArray(which)) return which.map((n) => this.getSubmodule(n));
    if (typeof which !== "function") throw new TypeError("Name a module, a list of names, or pass a filter (name) => boolean.");
    return this.modules().filter((m) => m.className !== "ModuleList" && which(m.name));
  }

  /** transformers.js generation (greedy unless told otherwise); hooks fire on every decoding step. */
  generate(inputs: GenerateInputs): ReturnType<PreTrainedModel["generate"]> {
    return this.hf.generate(inputs);
  }

  toString(): string {
    return this.root.toString();
  }

  /** @internal */
  addHook(module: Module, hook: ForwardHook | ForwardPreHook, kind: "forward" | "pre"): HookHandle {
    return this.hooks.add(module, hook, kind);
  }

  /** @internal */
  async forwardModule(module: Module, args: unknown[]): Promise<ModuleOutput> {
    const inputs = module.inputNames;
    if (args.length !== inputs.length) {
      throw new Error(`${module.name || "The model"} takes ${inputs.length} input(s) (${inputs.join(", ")}), got ${args.length}.`);
    }
    let session = this.subgraphs.get(module.name);
    if (!session) {
      session = createSiblingSession(this.session, extractSubgraph(this.proto, module.name, inputs, module.outputNames));
      this.subgraphs.set(module.name, session);
    }
    const feeds = Object.fromEntries(inputs.map((name, i) => [name, toOrtFeed(args[i], this.inputTypes.get(name) ?? FLOAT, name)]));
    const out = await (await session).run(feeds as never);
    return buildOutput(module.signature.output, (n) => fromOrt(out[n]!));
  }
}

/** A module by name, several by name, or those whose name a filter accepts. */
export type ModuleSelector = string | string[] | ((name: string) => boolean);

/**
 * The order in which PyTorch calls hooks: a module's pre-hooks just before its first computing node (a parent's
 * before its child's), its forward hooks just after its last (a child's before its parent's).
 */
function hookTimeline(infos: ModuleInfo[]): Array<{ kind: HookEvent["kind"]; info: ModuleInfo }> {
  const depth = (m: ModuleInfo) => (m.name === "" ? 0 : m.name.split(".").length);
  const events = infos
    .filter((m) => m.finish >= 0)
    .flatMap((info) => [
      { kind: "pre" as const, info, at: [info.start, 0, depth(info)] },
      { kind: "forward" as const, info, at: [info.finish, 1, -depth(info)] },
    ]);
  const cmp = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  return events.sort((a, b) => cmp(a.at, b.at)).map(({ kind, info }) => ({ kind, info }));
}
