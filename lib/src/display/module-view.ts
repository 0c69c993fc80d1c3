// A module tree (a Module, or the model) shown like PyTorch's print(model): its repr as text, and in HTML the same
// lines built by walking children(), each module that spans several lines a collapsible block.
import { childRuns } from "../repr.js";
import { escapeHtml } from "./escape.js";

/** What the view reads from a module (a Module fits). */
export interface ModuleNode {
  readonly className: string;
  /** The name inside its parent ("qkv_proj", "0"). */
  readonly localName?: string;
  /** The text between the parentheses, as print(model) shows it. */
  readonly extraRepr?: string;
  children(): readonly ModuleNode[];
  toString(): string;
}

/** A model: its modules() start with the root module. */
interface ModelLike {
  modules(): readonly ModuleNode[];
  toString(): string;
}

export type ModuleTree = ModuleNode | ModelLike;

function isNode(value: object): value is ModuleNode {
  const v = value as { className?: unknown; children?: unknown };
  return typeof v.className === "string" && typeof v.children === "function";
}

/** A Module (className + children()) or a model (modules() whose first item is such a Module). */
export function isModuleTree(value: unknown): value is ModuleTree {
  if (typeof value !== "object" || value === null) return false;
  if (value.toString === Object.prototype.toString) return false;
  if (isNode(value)) return true;
  const v = value as { modules?: unknown };
  if (typeof v.modules !== "function") return false;
  try {
    const first: unknown = (v.modules as () => unknown[])()[0];
    return typeof first === "object" && first !== null && isNode(first);
  } catch {
    return false;
  }
}

function rootOf(tree: ModuleTree): ModuleNode {
  return isNode(tree) ? tree : tree.modules()[0]!;
}

const line = (text: string) => `<div>${escapeHtml(text)}</div>`;

/** A ModuleList's children print grouped, "(0-3): 4 x ...", as Module.toString() does: the first of a run stands for it. */
function childRows(m: ModuleNode, depth: number): string[] {
  const kids = m.children();
  if (m.className !== "ModuleList") return kids.map((k) => moduleBlock(k, `(${k.localName ?? ""}): `, depth));
  const runs = childRuns(kids, (k) => k.localName ?? "", (k) => k.toString());
  return runs.map(({ key, count, first }) => moduleBlock(first, `(${key}): ${count > 1 ? `${count} x ` : ""}`, depth));
}

/** One module's lines, as nn.Module.__repr__ lays them out: on one line when it can, else a block (the first levels open). */
function moduleBlock(m: ModuleNode, label: string, depth: number): string {
  const head = `${label}${m.className}(`;
  const extra = m.extraRepr ? m.extraRepr.split("\n") : [];
  const rows = childRows(m, depth + 1);
  if (rows.length === 0 && extra.length <= 1) return line(`${head}${extra[0] ?? ""})`);
  return (
    `<details${depth < 2 ? " open" : ""}><summary>${escapeHtml(head)}</summary>` +
    `<div style="margin-left:2ch">${extra.map(line).join("")}${rows.join("")}</div>${line(")")}</details>`
  );
}

/** text/plain: PyTorch's print(model). */
export function moduleText(tree: ModuleTree): string {
  return tree.toString();
}

/** text/html: the same lines, monospace, each multi-line module collapsible. */
export function moduleHtml(tree: ModuleTree): string {
  return (
    `<div class="cw-module" style="font-family:monospace;font-size:13px;line-height:1.35;white-space:pre">` +
    moduleBlock(rootOf(tree), "", 0) +
    `</div>`
  );
}
