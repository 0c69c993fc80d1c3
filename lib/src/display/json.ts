// Plain values (objects, arrays, JSON) as pretty text and as a collapsible HTML tree of <details> elements, which
// needs no script. Big arrays are cut; typed arrays and tensors inside are shown compactly.
import { escapeHtml } from "./escape.js";
import { isTensorLike, shortNumber, tensorHeadline } from "./tensor.js";

export interface TreeOptions {
  /** Array items and object entries shown before "… N more" (default 100). */
  maxItems?: number;
  /** Nesting shown before "…" (default 12). */
  maxDepth?: number;
}

type TypedArray = Exclude<ArrayBufferView, DataView>;

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** A value that is shown on one line, never expanded. */
function leafText(v: unknown): string | null {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : String(v); // NaN and Infinity as JavaScript writes them
    case "boolean":
      return String(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    case "function":
      return `[Function ${v.name || "(anonymous)"}]`;
  }
  if (isTensorLike(v)) return tensorHeadline(v);
  if (isTypedArray(v)) {
    const a = v as unknown as ArrayLike<number | bigint>;
    const n = a.length;
    const shown = Array.from({ length: Math.min(n, 8) }, (_, i) => {
      const x = a[i]!;
      return typeof x === "bigint" ? `${x}n` : shortNumber(x);
    });
    return `${v.constructor.name}(${n}) [${shown.join(", ")}${n > 8 ? ", …" : ""}]`;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (v instanceof RegExp) return String(v);
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  return null;
}

/** The entries of a container: [key, value] pairs, and whether it is array-like. */
function entriesOf(v: object): { entries: Array<[string, unknown]>; array: boolean; label: string } {
  if (Array.isArray(v)) return { entries: v.map((x, i) => [String(i), x]), array: true, label: `Array(${v.length})` };
  if (v instanceof Set) return { entries: [...v].map((x, i) => [String(i), x]), array: true, label: `Set(${v.size})` };
  if (v instanceof Map) return { entries: [...v].map(([k, x]) => [typeof k === "string" ? k : String(leafText(k) ?? k), x]), array: false, label: `Map(${v.size})` };
  const keys = Object.keys(v);
  const name = v.constructor && v.constructor !== Object ? `${v.constructor.name} ` : "";
  return { entries: keys.map((k) => [k, (v as Record<string, unknown>)[k]]), array: false, label: `${name}{${keys.length}}` };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Pretty, JSON-like text: 2-space indent, short arrays of plain values on one line, big containers cut. */
export function prettyText(value: unknown, opts: TreeOptions = {}): string {
  const { maxItems = 100, maxDepth = 12 } = opts;
  const seen = new Set<object>();
  const fmt = (v: unknown, indent: string, depth: number): string => {
    const leaf = leafText(v);
    if (leaf !== null) return leaf;
    const obj = v as object;
    if (seen.has(obj)) return "[Circular]";
    const { entries, array } = entriesOf(obj);
    if (entries.length === 0) return array ? "[]" : "{}";
    if (depth >= maxDepth) return array ? "[…]" : "{…}";
    seen.add(obj);
    const shown = entries.slice(0, maxItems);
    const more = entries.length - shown.length;
    const inner = indent + "  ";
    const items = shown.map(([k, x]) => (array ? "" : `${JSON.stringify(k)}: `) + fmt(x, inner, depth + 1));
    if (more > 0) items.push(`… ${more} more`);
    seen.delete(obj);
    const open = array ? "[" : "{", close = array ? "]" : "}";
    const oneLine = `${open}${items.join(", ")}${close}`;
    if (array && oneLine.length + indent.length <= 80 && !oneLine.includes("\n")) return oneLine;
    if (array && shown.every(([, x]) => leafText(x) !== null && String(leafText(x)).length <= 24)) {
      // many short plain values: fill lines instead of one value per line
      const lines: string[] = [];
      let line = "";
      for (const item of items) {
        if (line && inner.length + line.length + item.length + 2 > 80) {
          lines.push(line + ",");
          line = "";
        }
        line = line ? `${line}, ${item}` : item;
      }
      lines.push(line);
      return `${open}\n${inner}${lines.join(`\n${inner}`)}\n${indent}${close}`;
    }
    return `${open}\n${inner}${items.join(`,\n${inner}`)}\n${indent}${close}`;
  };
  return fmt(value, "", 0);
}

const STYLE: Record<string, string> = {
  string: "color:#a31515",
  number: "color:#098658",
  bigint: "color:#098658",
  boolean: "color:#0000ff",
  null: "color:#777",
  other: "color:#555",
};

/** text/html: nested <details> (the first two levels open), keys in bold, values coloured by type. */
export function jsonTreeHtml(value: unknown, opts: TreeOptions = {}): string {
  const { maxItems = 100, maxDepth = 12 } = opts;
  const seen = new Set<object>();
  const key = (k: string | null, array: boolean) =>
    k === null ? "" : `<span style="color:${array ? "#888" : "#881391"}">${escapeHtml(array || IDENT.test(k) ? k : JSON.stringify(k))}</span>: `;
  const node = (k: string | null, inArray: boolean, v: unknown, depth: number): string => {
    const leaf = leafText(v);
    if (leaf !== null) {
      const t = v === null || v === undefined ? "null" : typeof v;
      return `<div>${key(k, inArray)}<span style="${STYLE[t] ?? STYLE.other}">${escapeHtml(leaf)}</span></div>`;
    }
    const obj = v as object;
    if (seen.has(obj)) return `<div>${key(k, inArray)}<span style="${STYLE.other}">[Circular]</span></div>`;
    const { entries, array, label } = entriesOf(obj);
    if (entries.length === 0) return `<div>${key(k, inArray)}${array ? "[]" : "{}"}</div>`;
    if (depth >= maxDepth) return `<div>${key(k, inArray)}${escapeHtml(label)} …</div>`;
    seen.add(obj);
    const shown = entries.slice(0, maxItems);
    const more = entries.length - shown.length;
    const children = shown.map(([ck, cv]) => node(ck, array, cv, depth + 1)).join("");
    seen.delete(obj);
    const preview = escapeHtml(truncate(prettyText(obj, { maxItems: 10, maxDepth: 1 }).replace(/\s*\n\s*/g, " "), 60));
    return (
      `<details${depth < 2 ? " open" : ""}><summary>${key(k, inArray)}<span style="${STYLE.other}">${escapeHtml(label)}</span> ` +
      `<span style="color:#aaa">${preview}</span></summary><div style="margin-left:1.4em">${children}` +
      (more > 0 ? `<div style="color:#888">… ${more} more</div>` : "") +
      `</div></details>`
    );
  };
  return `<div class="cw-json" style="font-family:monospace;font-size:13px;line-height:1.4">${node(null, false, value, 0)}</div>`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + "…";
}

/** Whether `render` should show this value as a tree (anything that is not a leaf). */
export function isContainer(v: unknown): boolean {
  return typeof v === "object" && v !== null && leafText(v) === null;
}

export { leafText };
