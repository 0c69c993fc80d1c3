// Rebuilds the PyTorch module tree from an ONNX graph's node names. torch.onnx.export (and Optimum) name a
// node after the module that ran it: "/model/layers.0/self_attn/qkv_proj/MatMul" ran in
// "model.layers.0.self_attn.qkv_proj". A module's inputs are the values it uses but does not make; its outputs
// are the values it makes that are used outside it (or are graph outputs).
import type onnxProto from "onnx-proto";

type Graph = onnxProto.onnx.IGraphProto;

export interface ModuleInfo {
  /** Dotted path, "" for the root. */
  name: string;
  children: string[];
  /** Boundary values, in order of first use. */
  inputs: string[];
  /** Boundary values, in order of production. */
  outputs: string[];
  /** Index of the module's first computing node in graph order; -1 when it computes nothing. */
  start: number;
  /** Index of the module's last computing node in graph order; -1 when it computes nothing. */
  finish: number;
}

export function modulePathOf(nodeName: string): string {
  const parts = nodeName.split("/").filter(Boolean);
  return parts.slice(0, -1).join(".");
}

function ancestorsOrSelf(path: string): string[] {
  const out = [path];
  for (let p = path; p !== ""; ) {
    const dot = p.lastIndexOf(".");
    p = dot < 0 ? "" : p.slice(0, dot);
    out.push(p);
  }
  return out;
}

/** Whether module path `path` is `outer` or below it ("" holds everything). */
export const inside = (outer: string, path: string): boolean => outer === "" || path === outer || path.startsWith(outer + ".");

/** Modules in pre-order (root first, children in order of first appearance), with boundary values. */
export function analyzeModules(graph: Graph): ModuleInfo[] {
  const nodes = graph.node ?? [];
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name!));
  const constants = new Set<string>();
  for (const n of nodes) if (n.opType === "Constant") for (const o of n.output ?? []) constants.add(o);
  const isData = (v: string) => v !== "" && !initializers.has(v) && !constants.has(v);

  const modules = new Map<string, ModuleInfo>();
  const ensure = (path: string): ModuleInfo => {
    let m = modules.get(path);
    if (!m) {
      m = { name: path, children: [], inputs: [], outputs: [], start: -1, finish: -1 };
      modules.set(path, m);
      if (path !== "") {
        const dot = path.lastIndexOf(".");
        ensure(dot < 0 ? "" : path.slice(0, dot)).children.push(path);
      }
    }
    return m;
  };
  ensure("");

  const paths = nodes.map((n) => modulePathOf(n.name ?? ""));
  const producer = new Map<string, string>();
  const consumers = new Map<string, string[]>();
  nodes.forEach((n, i) => {
    const path = paths[i]!;
    ensure(path);
    for (const o of n.output ?? []) producer.set(o, path);
    for (const v of n.input ?? []) if (isData(v)) (consumers.get(v) ?? consumers.set(v, []).get(v)!).push(path);
    if (n.opType === "Constant") return;
    for (const a of ancestorsOrSelf(path)) {
      const m = modules.get(a)!;
      if (m.start < 0) m.start = i;
      m.finish = i;
    }
  });

  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name!));
  const add = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  nodes.forEach((n, i) => {
    const path = paths[i]!;
    if (n.opType === "Constant") return;
    for (const v of n.input ?? []) {
      if (!isData(v)) continue;
      const from = producer.get(v); // undefined: a graph input
      for (const a of ancestorsOrSelf(path)) {
        if (from !== undefined && inside(a, from)) break;
        add(modules.get(a)!.inputs, v);
      }
    }
    for (const v of n.output ?? []) {
      const users = consumers.get(v) ?? [];
      for (const a of ancestorsOrSelf(path)) {
        if (graphOutputs.has(v) || users.some((u) => !inside(a, u))) add(modules.get(a)!.outputs, v);
      }
    }
  });

  const ordered: ModuleInfo[] = [];
  const visit = (path: string) => {
    const m = modules.get(path)!;
    ordered.push(m);
    m.children.forEach(visit);
  };
  visit("");
  return ordered;
}
