// Forward hooks and pre-hooks on an ONNX session, with PyTorch's contract. While any hook is registered, the
// session transformers.js calls runs a copy of the graph that also outputs the module-boundary values the hooks
// need (boundary-values.ts), and the hooks are called with those values in PyTorch's order of calls (a module's pre-hooks before it starts, its
// forward hooks after it finishes, children before their parent). With no hooks the original session runs
// untouched; only boundary values are added, so logits stay bit-identical either way.
//
// A hook that returns a value intervenes. ONNX runs the whole graph at once, so the pass is then resumed from
// that point: a copy of the graph in which the replaced value is a graph input for the consumers PyTorch's
// replacement would reach (outside the module for an output, inside it for an arg) runs with the replacement,
// and the later hooks, the logits and the cache see its results. One copy is built per set of cuts and kept.
import { Tensor } from "./transformers.js";
import type { InferenceSession } from "onnxruntime-node";
import type { ForwardHook, ForwardPreHook, HookHandle, Module, ModuleOutput } from "./module.js";
import { buildOutput, flattenOutput, isTensor, outputLabels, outputNames } from "./module-signature.js";
import { type BoundaryRequest, BoundaryValues } from "./boundary-values.js";
import { type Cut, type ModelProto, cutApplies, withCuts } from "./onnx/graph-io.js";
import { inside } from "./onnx/module-graph.js";
import { createSiblingSession } from "./onnx/sibling-session.js";
import { elemTypeOf, fromOrt } from "./to-tensor.js";

type OrtTensor = InferenceSession.OnnxValueMapType[string];
type Feeds = Record<string, OrtTensor>;
type Results = Record<string, OrtTensor>;

/** Each cut graph holds a copy of the weights: a loop over many different interventions keeps only the last ones. */
const MAX_CUT_SESSIONS = 16;

/** A module's pre-hooks fire when it starts, its forward hooks when it finishes. */
export interface HookEvent {
  kind: "pre" | "forward";
  module: Module;
}

interface Registered {
  id: number;
  module: Module;
  kind: HookEvent["kind"];
  hook: ForwardHook | ForwardPreHook;
}

/** What one hooked run does, worked out once per set of registered hooks. */
interface Plan {
  /** The events that have hooks, in the order PyTorch calls them, each with its hooks in registration order. */
  events: Array<HookEvent & { hooks: Registered[] }>;
  /** Graph values the events from index i on need (one more entry than events: none after the last). */
  valuesFrom: string[][];
  /** The values the first event on needs, as the boundary runner fetches them. */
  request: BoundaryRequest;
}

/** A cut with the replacement it carries in this pass. */
interface ActiveCut extends Cut {
  tensor: Tensor;
}

export class SessionHooks {
  private registered: Registered[] = [];
  /** Ids of the hooks still registered; a hook removed during a run is skipped from then on. */
  private live = new Set<number>();
  private nextId = 1;
  private plan: Plan | null = null;
  private readonly boundary: BoundaryValues;
  private readonly cutSessions = new Map<string, Promise<InferenceSession>>();

  constructor(
    private readonly session: InferenceSession,
    private readonly proto: ModelProto,
    /** Every module's events in the order PyTorch would call their hooks. */
    private readonly timeline: HookEvent[],
  ) {
    this.boundary = new BoundaryValues(session, proto, [...new Set(timeline.flatMap((e) => [...e.module.inputNames, ...e.module.outputNames]))]);
    const originalRun = session.run.bind(session) as (feeds: Feeds, ...rest: unknown[]) => Promise<Results>;
    (session as unknown as { run: unknown }).run = (feeds: Feeds, ...rest: unknown[]) =>
      this.registered.length === 0 ? originalRun(feeds, ...rest) : this.runHooked(feeds);
  }

  add(module: Module, hook: ForwardHook | ForwardPreHook, kind: HookEvent["kind"]): HookHandle {
    const id = this.nextId++;
    this.registered.push({ id, module, kind, hook });
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
    const byEvent = new Map<string, Registered[]>();
    const key = (kind: string, m: Module) => `${kind}:${m.name}`;
    for (const r of this.registered) (byEvent.get(key(r.kind, r.module)) ?? byEvent.set(key(r.kind, r.module), []).get(key(r.kind, r.module))!).push(r);
    // a ModuleList has no forward of its own, so its hooks never fire (as in PyTorch)
    const events = this.timeline
      .filter((e) => byEvent.has(key(e.kind, e.module)) && e.module.className !== "ModuleList")
      .map((e) => ({ ...e, hooks: byEvent.get(key(e.kind, e.module))! }));
    const valuesFrom: string[][] = [[]];
    const acc = new Set<string>();
    for (let i = events.length - 1; i >= 0; i--) {
      const { module, kind } = events[i]!;
      for (const n of module.inputNames) acc.add(n);
      if (kind === "forward") for (const n of module.outputNames) acc.add(n);
      valuesFrom.unshift([...acc]);
    }
    return { events, valuesFrom, request: this.boundary.request(valuesFrom[0]!) };
  }

  /** The cut graph for these cuts, built once; the least recently used beyond MAX_CUT_SESSIONS are released. */
  private cutSession(cuts: Cut[], fetch: string[]): Promise<InferenceSession> {
    const key = JSON.stringify([cuts.map((c) => [c.value, c.scope, c.kind, c.elemType]), fetch]);
    let s = this.cutSessions.get(key);
    if (s) this.cutSessions.delete(key);
    else {
      s = createSiblingSession(this.session, withCuts(this.proto, cuts, fetch));
      s.catch(() => this.cutSessions.delete(key));
    }
    this.cutSessions.set(key, s);
    for (const [old, session] of this.cutSessions) {
      if (this.cutSessions.size <= MAX_CUT_SESSIONS) break;
      this.cutSessions.delete(old);
      session.then((x) => x.release()).catch(() => undefined);
    }
    return s;
  }

  private async runHooked(feeds: Feeds): Promise<Results> {
    const plan = (this.plan ??= this.makePlan());
    const baseOutputs = this.session.outputNames;
    const fetchFrom = (i: number) => [...new Set([...baseOutputs, ...plan.valuesFrom[i]!.filter((n) => !(n in feeds))])];
    let results = (await this.boundary.run(feeds, plan.request)) as Results;
    const wrapped = new Map<string, Tensor>();
    const value = (name: string): Tensor => {
      let t = wrapped.get(name);
      if (!t) wrapped.set(name, (t = fromOrt((feeds[name] ?? results[name])!)));
      return t;
    };
    const cuts: ActiveCut[] = [];
    // what a consumer at `path` sees of a value (null: the caller of the whole graph)
    const seen = (name: string, path: string | null): Tensor => {
      let t = value(name);
      for (const c of cuts) if (c.value === name && cutApplies(c, path)) t = c.tensor;
      return t;
    };
    // a module's output as its caller receives it: replaced by its own or a child's forward hook
    const returned = (name: string, module: Module): Tensor => {
      let t = value(name);
      for (const c of cuts) if (c.value === name && c.kind === "output" && inside(module.name, c.scope)) t = c.tensor;
      return t;
    };

    for (let i = 0; i < plan.events.length; i++) {
      const { kind, module, hooks } = plan.events[i]!;
      const argNames = module.signature.args;
      const args = cuts.length === 0 ? argNames.map(value) : argNames.map((n) => seen(n, module.name));
      let added: Array<Omit<ActiveCut, "input">> = [];
      if (kind === "pre") {
        let current = args;
        for (const r of hooks) {
          if (!this.live.has(r.id)) continue;
          const out = (r.hook as ForwardPreHook)(module, current);
          const back = isThenable(out) ? await out : out; // synchronous hooks cost no extra turn
          if (back !== undefined && back !== null) current = replacedArgs(module, current, back);
        }
        if (current !== args) added = argNames.flatMap((n, j) => (current[j] === args[j] ? [] : [cutFor(n, module, "input", current[j]!)]));
      } else {
        const layout = module.signature.output;
        const original = buildOutput(layout, cuts.length === 0 ? value : (n) => returned(n, module));
        let current = original;
        for (const r of hooks) {
          if (!this.live.has(r.id)) continue;
          const out = (r.hook as ForwardHook)(module, args, current);
          const back = isThenable(out) ? await out : out;
          if (back !== undefined && back !== null) current = replacedOutput(module, current, back as ModuleOutput);
        }
        if (current !== original) {
          const before = flattenOutput(original);
          const after = flattenOutput(current);
          added = outputNames(layout).flatMap((n, j) => (after[j] === before[j] ? [] : [cutFor(n, module, "output", after[j]!)]));
        }
      }
      if (added.length === 0) continue;
      for (const c of added) cuts.push({ ...c, input: `courseware_cut_${cuts.length}` });
      const fetch = fetchFrom(i + 1);
      const resumed = await (await this.cutSession(cuts, fetch)).run({ ...feeds, ...Object.fromEntries(cuts.map((c) => [c.input, c.tensor.ort_tensor])) } as never, fetch);
      results = { ...results, ...(resumed as Results) };
      for (const n of fetch) wrapped.delete(n);
    }
    return Object.fromEntries(baseOutputs.map((n) => [n, cuts.some((c) => c.value === n && cutApplies(c, null)) ? likeResult(results[n]!, seen(n, null)) : results[n]!]));
  }
}

function cutFor(value: string, module: Module, kind: Cut["kind"], tensor: Tensor): Omit<ActiveCut, "input"> {
  return { value, scope: module.name, kind, tensor, elemType: elemTypeOf(tensor.type) };
}

/** A replacement handed back to transformers.js as a tensor of the session's own onnxruntime copy, as it expects. */
function likeResult(result: OrtTensor, t: Tensor): OrtTensor {
  const Ort = result.constructor as new (type: string, data: unknown, dims: readonly number[]) => OrtTensor;
  return new Ort(t.type, t.data, t.dims);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}

function who(module: Module): string {
  return module.name === "" ? "the model" : `"${module.name}"`;
}

/** A replacement tensor as this library's Tensor class, checked against the value it replaces. */
function asReplacement(value: unknown, original: Tensor, what: string): Tensor {
  if (!isTensor(value)) throw new TypeError(`${what} should be a Tensor, not ${value === null ? "null" : typeof value}.`);
  const t = value instanceof Tensor ? value : new Tensor(value.type as never, value.data as never, [...value.dims]);
  if (t.type !== original.type || t.dims.length !== original.dims.length || t.dims.some((d, i) => d !== original.dims[i])) {
    throw new Error(`${what} is a ${t.type} tensor of shape [${t.dims.join(", ")}]; the value it replaces is ${original.type} [${original.dims.join(", ")}].`);
  }
  return t;
}

/** A pre-hook's result as args: a Tensor replaces the first arg; an array replaces those that differ. */
function replacedArgs(module: Module, args: Tensor[], back: unknown): Tensor[] {
  const what = (j: number) => `The forward pre-hook on ${who(module)} returned args[${j}], which`;
  if (isTensor(back)) return [asReplacement(back, args[0]!, what(0)), ...args.slice(1)];
  if (!Array.isArray(back)) throw new TypeError(`A forward pre-hook on ${who(module)} should return nothing, a Tensor or an array of ${args.length} args.`);
  if (back.length !== args.length) throw new Error(`The forward pre-hook on ${who(module)} returned ${back.length} args; the module takes ${args.length}.`);
  return args.map((a, j) => (back[j] === a || back[j] === undefined ? a : asReplacement(back[j], a, what(j))));
}

/** A forward hook's result as an output: a Tensor replaces the main output; a structure replaces what differs. */
function replacedOutput(module: Module, output: ModuleOutput, back: ModuleOutput): ModuleOutput {
  const layout = module.signature.output;
  const names = outputNames(layout);
  const labels = outputLabels(output);
  const before = flattenOutput(output);
  const what = (j: number) => `The forward hook on ${who(module)} returned a replacement for ${labels[j]}, which`;
  let after: unknown[];
  if (isTensor(back)) after = [back, ...before.slice(1)];
  else if (Array.isArray(back) && layout.kind === "tuple") after = back;
  else if (typeof back === "object" && layout.kind === "record" && (layout.main in back || "past_key_values" in back)) {
    const rec = back as unknown as Record<string, unknown>;
    const pkv = (rec.past_key_values ?? []) as unknown[][];
    after = [rec[layout.main] ?? before[0], ...layout.cache.flatMap((_, l) => [pkv[l]?.[0] ?? before[1 + 2 * l], pkv[l]?.[1] ?? before[2 + 2 * l]])];
  } else {
    const shape = layout.kind === "tensor" ? "a Tensor" : layout.kind === "tuple" ? `a Tensor or an array of ${names.length}` : `a Tensor or { ${layout.main}, past_key_values }`;
    throw new TypeError(`A forward hook on ${who(module)} should return nothing or ${shape}.`);
  }
  if (after.length !== before.length) throw new Error(`The forward hook on ${who(module)} returned ${after.length} values; the module returns ${before.length}.`);
  const tensors = before.map((b, j) => (after[j] === b || after[j] === undefined ? b : asReplacement(after[j], b, what(j))));
  return buildOutput(layout, (n) => tensors[names.indexOf(n)]!);
}
