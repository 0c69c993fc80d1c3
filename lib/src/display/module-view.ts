// A module tree (a Module, or the model) shown like PyTorch's print(model): its repr as text, and in HTML the
// same text with every multi-line "Name(" ... ")" block collapsible. Built from toString() alone, so it follows
// whatever the repr prints.
import { escapeHtml } from "./escape.js";

interface ModuleTreeLike {
  toString(): string;
}

/** A Module (className + children()) or a model (modules() whose first item is such a Module). */
export function isModuleTree(value: unknown): value is ModuleTreeLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { className?: unknown; children?: unknown; modules?: unknown; toString: unknown };
  if (v.toString === Object.prototype.toString) return false;
  if (typeof v.className === "string" && typeof v.children === "function") return true;
  if (typeof v.modules === "function") {
    try {
      const first = (v.modules as () => unknown[])()[0] as { className?: unknown } | undefined;
      return typeof first?.className === "string";
    } catch {
      return false;
    }
  }
  return false;
}

interface Block {
  line: string;
  children: Block[];
  close: string | null;
}

/** Parses repr lines into blocks: a line ending in "(" owns the lines up to its matching ")". */
function parse(lines: string[]): Block[] {
  const root: Block = { line: "", children: [], close: null };
  const stack: Block[] = [root];
  for (const raw of lines) {
    const top = stack.at(-1)!;
    if (/^\s*\)[,]?\s*$/.test(raw) && stack.length > 1) {
      top.close = raw.trim();
      stack.pop();
    } else {
      const block: Block = { line: raw.trim(), children: [], close: null };
      top.children.push(block);
      if (/\($/.test(raw.trimEnd())) stack.push(block);
    }
  }
  return root.children;
}

function blockHtml(b: Block, depth: number): string {
  if (b.close === null && b.children.length === 0) return `<div>${escapeHtml(b.line)}</div>`;
  const inner = b.children.map((c) => blockHtml(c, depth + 1)).join("");
  return (
    `<details${depth < 2 ? " open" : ""}><summary>${escapeHtml(b.line)}</summary>` +
    `<div style="margin-left:2ch">${inner}</div><div>${escapeHtml(b.close ?? "")}</div></details>`
  );
}

export function moduleText(m: ModuleTreeLike): string {
  return m.toString();
}

/** text/html: the repr, monospace, each block collapsible (the first levels open). */
export function moduleHtml(m: ModuleTreeLike): string {
  const text = m.toString();
  const blocks = parse(text.split("\n"));
  return (
    `<div class="cw-module" style="font-family:monospace;font-size:13px;line-height:1.35;white-space:pre">` +
    blocks.map((b) => blockHtml(b, 0)).join("") +
    `</div>`
  );
}
