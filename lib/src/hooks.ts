// Forward hooks on an ONNX session: while any hook is registered, the session transformers.js calls runs a
// copy of the graph that also outputs every module-boundary value; the hooks receive those values in execution
// order, and the extra outputs are stripped before transformers.js sees the result. With no hooks the original
// session runs untouched (only boundary values are added, so logits stay bit-identical either way).
import { Tensor } from "@huggingface/transformers";
import type { InferenceSession } from "onnxruntime-node";
import type { ForwardHook, HookHandle, Module } from "./module.js";
import { type ModelProto, withExtraOutputs } from "./onnx/graph-io.js";
import { createSiblingSession } from "./onnx/sibling-session.js";

type OrtTensor = InferenceSession.OnnxValueMapType[string];
type Feeds = Record<string, OrtTensor>;

interface Registered {
  id: number;
  module: Module;
  hook: ForwardHook;
}

/** Shares the data; rebuilt by value because transformers.js and onnxruntime-node may hold different Tensor classes. */
export function fromOrt(t: OrtTensor): Tensor {
  const o = t as unknown as { type: string; data: unknown; dims: readonly number[] };
  return new Tensor(o.type as never, o.data as never, [...o.dims]);
}

/** What one hooked run does, worked out once per set of registered hooks. */
interface Plan {
  /** Modules with hooks, in execution order, each with its hooks in registration order. */
  firing: Array<{ module: Module; hooks: Registered[] }>;
  /** Graph values the hooks need (module inputs and outputs). */
  values: string[];
}

export class SessionHooks {
  private registered: Registered[] = [];
  /** Ids of the hooks still registered; a hook removed during a run is skipped from then on. */
  private live = new Set<number>();
  private nextId = 1;
  private plan: Plan | null = null;
  private hookedSession: Promise<InferenceSession> | null = null;

  constructor(
    private readonly session: InferenceSession,
    private readonly proto: ModelProto,
    /** Modules in the order their forward finishes. */
    private readonly order: Module[],
    private readonly root: Module,
  ) {
    const originalRun = session.run.bind(session) as (feeds: Feeds, ...rest: unknown[]) => Promise<Record<string, OrtTensor>>;
    (session as unknown as { run: unknown }).run = (feeds: Feeds, ...rest: unknown[]) =>
      this.registered.length === 0 ? originalRun(feeds, ...rest) : this.runHooked(feeds);
  }

  add(module: Module, hook: ForwardHook): HookHandle {
    const id = this.nextId++;
    this.registered.push({ id, module, hook });
    this.live.add(id);
    this.plan = null;
    return {
      id,
      remove: () => {
        if (!this.live.delete(id)) return;
        this.registered = this.registered.filter((r) => r.id !== id);
        this.plan = null;
      },
    };
  }

  private makePlan(): Plan {
    const byModule = new Map<Module, Registered[]>();
    for (const r of this.registered) (byModule.get(r.module) ?? byModule.set(r.module, []).get(r.module)!).push(r);
    // a ModuleList has no forward of its own, so its hooks never fire (as in PyTorch)
    const firing = this.order.filter((m) => byModule.has(m) && m.className !== "ModuleList").map((module) => ({ module, hooks: byModule.get(module)! }));
    const values = [...new Set(firing.flatMap(({ module }) => [...module.info.inputs, ...module.info.outputs]))];
    return { firing, values };
  }

  private hooked(): Promise<InferenceSession> {
    if (!this.hookedSession) {
      const boundary = [...new Set(this.order.flatMap((m) => [...m.info.inputs, ...m.info.outputs]))];
      this.hookedSession = createSiblingSession(this.session, withExtraOutputs(this.proto, boundary));
      this.hookedSession.catch(() => (this.hookedSession = null));
    }
    return this.hookedSession;
  }

  private async runHooked(feeds: Feeds): Promise<Record<string, OrtTensor>> {
    const plan = (this.plan ??= this.makePlan());
    const baseOutputs = this.session.outputNames;
    const fetch = [...new Set([...baseOutputs, ...plan.values.filter((n) => !(n in feeds))])];
    const session = await this.hooked();
    const results = (await session.run(feeds, fetch)) as Record<string, OrtTensor>;
    const wrap = new Map<string, Tensor>();
    const value = (name: string): Tensor => {
      let t = wrap.get(name);
      if (!t) wrap.set(name, (t = fromOrt((feeds[name] ?? results[name])!)));
      return t;
    };
    for (const { module, hooks } of plan.firing) {
      const { inputs, outputs } = module.info;
      const args = inputs.map(value);
      const output = module === this.root ? { logits: value("logits") } : outputs.length === 1 ? value(outputs[0]!) : outputs.map(value);
      for (const r of hooks) if (this.live.has(r.id)) r.hook(module, args, output);
    }
    return Object.fromEntries(baseOutputs.map((n) => [n, results[n]!]));
  }
}
