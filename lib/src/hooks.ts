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

export class SessionHooks {
  private registered: Registered[] = [];
  private nextId = 1;
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
    return { id, remove: () => void (this.registered = this.registered.filter((r) => r.id !== id)) };
  }

  private hooked(): Promise<InferenceSession> {
    if (!this.hookedSession) {
      const boundary = [...new Set(this.order.flatMap((m) => [...m.inputNames, ...m.outputNames]))];
      this.hookedSession = createSiblingSession(this.session, withExtraOutputs(this.proto, boundary));
      this.hookedSession.catch(() => (this.hookedSession = null));
    }
    return this.hookedSession;
  }

  private async runHooked(feeds: Feeds): Promise<Record<string, OrtTensor>> {
    const active = this.registered.slice();
    const modules = new Set(active.map((r) => r.module));
    const firing = this.order.filter((m) => modules.has(m) && m.className !== "ModuleList"); // a ModuleList has no forward
    const needed = firing.flatMap((m) => [...m.inputNames, ...m.outputNames]).filter((n) => !(n in feeds));
    const baseOutputs = this.session.outputNames;
    const session = await this.hooked();
    const results = (await session.run(feeds, [...new Set([...baseOutputs, ...needed])])) as Record<string, OrtTensor>;
    const wrap = new Map<string, Tensor>();
    const value = (name: string): Tensor => {
      let t = wrap.get(name);
      if (!t) wrap.set(name, (t = fromOrt((feeds[name] ?? results[name])!)));
      return t;
    };
    for (const module of firing) {
      const args = module.inputNames.map(value);
      const output =
        module === this.root
          ? { logits: value("logits") }
          : module.outputNames.length === 1
            ? value(module.outputNames[0]!)
            : module.outputNames.map(value);
      // like PyTorch, a hook removed during this pass (by another hook) no longer fires
      for (const r of active) if (r.module === module && this.registered.includes(r)) r.hook(module, args, output);
    }
    return Object.fromEntries(baseOutputs.map((n) => [n, results[n]!]));
  }
}
