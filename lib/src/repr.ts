// The text between a module's parentheses in PyTorch's print(model) (its `extra_repr`), and ModuleList's
// grouping of identical layers ("(0-3): 4 x Phi3DecoderLayer(").
import type { Parameter } from "./parameter.js";

/** A number the way Python's repr writes it: 1e-05, 0.5, 1.0. */
export function pythonFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exp] = x.toExponential().split("e") as [string, string];
    const sign = exp.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${exp.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  return String(x);
}

const bool = (b: boolean) => (b ? "True" : "False");

export interface ReprContext {
  className: string;
  params: Parameter[];
  config: Record<string, unknown>;
  /** This embedding is built with padding_idx = config.pad_token_id. */
  padded: boolean;
}

/** PyTorch's extra_repr for the classes the families use; "" for the rest. */
export function extraRepr({ className, params, config, padded }: ReprContext): string {
  const weight = params.find((p) => p.name === "weight")?.shape;
  const hasBias = params.some((p) => p.name === "bias");
  if (!weight) return "";
  if (/^Linear/.test(className) && weight.length === 2) {
    return `in_features=${weight[1]}, out_features=${weight[0]}, bias=${bool(hasBias)}`;
  }
  if (className === "Embedding" && weight.length === 2) {
    const pad = config.pad_token_id;
    return `${weight[0]}, ${weight[1]}${padded && typeof pad === "number" ? `, padding_idx=${pad}` : ""}`;
  }
  if (className === "Conv1D" && weight.length === 2) return `nf=${weight[1]}, nx=${weight[0]}`;
  if (/RMSNorm$/.test(className)) {
    const eps = Number(config.rms_norm_eps ?? 1e-6);
    return `(${weight.join(", ")},), eps=${pythonFloat(eps)}`;
  }
  if (className === "LayerNorm") {
    const eps = Number(config.layer_norm_epsilon ?? config.layer_norm_eps ?? 1e-5);
    return `(${weight.join(", ")},), eps=${pythonFloat(eps)}, elementwise_affine=True`;
  }
  return "";
}

const indent = (s: string) => s.replace(/\n/g, "\n  ");

/** nn.Module.__repr__: "Name(extra)" or "Name(\n  extra\n  (child): ...\n)". */
export function moduleRepr(className: string, extra: string, children: Array<[string, string]>): string {
  const extraLines = extra ? extra.split("\n") : [];
  const childLines = children.map(([key, repr]) => `(${key}): ${indent(repr)}`);
  const lines = [...extraLines, ...childLines];
  if (lines.length === 0) return `${className}()`;
  if (extraLines.length === 1 && childLines.length === 0) return `${className}(${extraLines[0]})`;
  return `${className}(\n  ${lines.join("\n  ")}\n)`;
}

/** Consecutive children of a ModuleList with the same repr, which it prints once: "(0-3): 4 x Repr". */
export interface ChildRun<T> {
  /** "0" for a child alone, "0-3" for a run. */
  key: string;
  count: number;
  first: T;
}

/** A ModuleList's children grouped as its repr prints them. */
export function childRuns<T>(children: readonly T[], name: (child: T) => string, repr: (child: T) => string): ChildRun<T>[] {
  const reprs = children.map(repr);
  const runs: ChildRun<T>[] = [];
  for (let i = 0; i < children.length; ) {
    let j = i;
    while (j + 1 < children.length && reprs[j + 1] === reprs[i]) j++;
    const first = children[i]!;
    runs.push({ key: j === i ? name(first) : `${name(first)}-${name(children[j]!)}`, count: j - i + 1, first });
    i = j + 1;
  }
  return runs;
}

/** ModuleList.__repr__: runs of children with the same repr print once, as "(0-3): 4 x Repr". */
export function moduleListRepr(className: string, children: Array<[string, string]>): string {
  const runs = childRuns(children, ([key]) => key, ([, repr]) => repr);
  return moduleRepr(className, "", runs.map(({ key, count, first: [, repr] }): [string, string] => [key, count > 1 ? `${count} x ${repr}` : repr]));
}
