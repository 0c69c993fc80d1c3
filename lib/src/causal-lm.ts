import type { PreTrainedModel, Tensor } from "@huggingface/transformers";
import type { InferenceSession } from "onnxruntime-node";
import { ActivationCache } from "./activation-cache.js";
import { classNameOf, familyOf } from "./families/index.js";
import { SessionHooks, fromOrt } from "./hooks.js";
import { type ForwardHook, type HookCall, type HookHandle, Module, type ModuleRuntime } from "./module.js";
import { type ModelProto, extractSubgraph } from "./onnx/graph-io.js";
import { analyzeModules, executionOrder } from "./onnx/module-graph.js";
import { findParameters } from "./onnx/parameters.js";
import { createSiblingSession } from "./onnx/sibling-session.js";
import { Parameter } from "./parameter.js";
import { extraRepr } from "./repr.js";
import { toOrtFeed } from "./to-tensor.js";

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
    for (const info of infos) {
      const own = (params.get(info.name) ?? []).map((p) => new Parameter(p));
      const weight = own.find((p) => p.name === "weight");
      const className = classOf(info.name) === "Linear" && weight?.dtype.endsWith("int8") ? "Linear8bitLt" : classOf(info.name);
      const padded = family.paddedEmbeddings?.test(info.name) ?? false;
      const extra = extraRepr({ className, params: own, config, padded });
      this.byName.set(info.name, new Module(info.name, className, info, this, own, extra));
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
    const order = executionOrder(infos).map((i) => this.byName.get(i.name)!);
    this.hooks = new SessionHooks(this.session, proto, order, this.root);
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
   * Runs the model once with a forward hook on every module (or on those `names` lists) and returns the logits
   * with every module's args and output by name, like TransformerLens's `run_with_cache`.
   */
  async runWithCache(inputs: Record<string, unknown>, options: { names?: string[] } = {}): Promise<{ logits: Tensor; cache: ActivationCache }> {
    const modules = options.names ? options.names.map((n) => this.getSubmodule(n)) : this.modules().filter((m) => m.className !== "ModuleList");
    const calls = new Map<string, HookCall>();
    const handles = modules.map((m) => m.registerForwardHook((module, args, output) => void calls.set(module.name, { module, args, output })));
    try {
      const { logits } = await this.forward(inputs);
      return { logits, cache: new ActivationCache(calls) };
    } finally {
      for (const h of handles) h.remove();
    }
  }

  /** transformers.js generation (greedy unless told otherwise); hooks fire on every decoding step. */
  generate(inputs: GenerateInputs): ReturnType<PreTrainedModel["generate"]> {
    return this.hf.generate(inputs);
  }

  toString(): string {
    return this.root.toString();
  }

  /** @internal */
  addHook(module: Module, hook: ForwardHook): HookHandle {
    return this.hooks.add(module, hook);
  }

  /** @internal */
  async forwardModule(module: Module, args: unknown[]): Promise<Tensor | Tensor[]> {
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
    const tensors = module.outputNames.map((n) => fromOrt(out[n]!));
    return tensors.length === 1 ? tensors[0]! : tensors;
  }
}
