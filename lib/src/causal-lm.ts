import type { PreTrainedModel, Tensor } from "@huggingface/transformers";
import type { InferenceSession } from "onnxruntime-node";
import { classNameOf } from "./families/class-names.js";
import { SessionHooks, fromOrt } from "./hooks.js";
import { type ForwardHook, type HookHandle, Module, type ModuleRuntime } from "./module.js";
import { type ModelProto, extractSubgraph } from "./onnx/graph-io.js";
import { createSiblingSession } from "./onnx/sibling-session.js";
import { analyzeModules, executionOrder } from "./onnx/module-graph.js";
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
    const config = hf.config as unknown as { model_type?: string; architectures?: string[] };
    const infos = analyzeModules(proto.graph!);
    for (const info of infos) {
      const m = new Module(info.name, classNameOf(info.name, config.model_type, config.architectures?.[0]), info, this);
      this.byName.set(info.name, m);
      if (info.name !== "") this.byName.get(info.name.includes(".") ? info.name.slice(0, info.name.lastIndexOf(".")) : "")!.addChild(m);
    }
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
