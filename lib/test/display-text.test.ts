import { test } from "uvu";
import * as assert from "uvu/assert";
import { Figure, Module, Tensor, render } from "../src/index.js";
import { tiny } from "./helpers.js";

/** Depth of <details> nesting at a position of the HTML. */
function detailsDepth(html: string, at: number): number {
  const before = html.slice(0, at);
  return (before.match(/<details/g) ?? []).length - (before.match(/<\/details>/g) ?? []).length;
}

test("a big tensor: headline with dtype and shape, min/max, and each long dimension cut to first/last 3 with ...", () => {
  const dims = [1, 5, 4096];
  const data = Float32Array.from({ length: 5 * 4096 }, (_, i) => Math.sin(i * 0.37) * 3);
  data[777] = -7.5;
  data[12345] = 9.25;
  const fig = render(new Tensor("float32", data, dims));
  const text = fig.bundle["text/plain"];
  const lines = text.split("\n");
  assert.ok(lines[0]!.startsWith("Tensor float32 [1, 5, 4096]"), lines[0]);
  let min = Infinity, max = -Infinity;
  for (const x of data) (min = Math.min(min, x)), (max = Math.max(max, x));
  assert.ok(lines[0]!.includes(`min ${min}`) && lines[0]!.includes(`max ${max}`), lines[0]);
  const rows = lines.slice(1);
  assert.is(rows.length, 5, "all 5 rows (5 ≤ 6 is not cut)");
  for (const [r, row] of rows.entries()) {
    assert.ok(row.includes("..."), row);
    const nums = row.replace(/[[\]]/g, "").split(",").map((s) => s.trim()).filter((s) => s !== "..." && s !== "");
    assert.is(nums.length, 6, row);
    assert.equal(nums.slice(0, 3), [0, 1, 2].map((c) => data[r * 4096 + c]!.toFixed(4)));
    assert.equal(nums.slice(3), [4093, 4094, 4095].map((c) => data[r * 4096 + c]!.toFixed(4)));
  }
  const html = fig.bundle["text/html"]!;
  assert.ok(html.includes("float32") && html.includes("[1, 5, 4096]"));
  assert.ok(html.includes(`min ${min}`) && html.includes(`max ${max}`));
  assert.ok(html.includes("showing [0, :, :]"), "which slice the table shows");
  assert.ok(html.includes("⋯"), "the 4096 columns are cut in the table");
});

test("a small tensor is printed whole, nested like PyTorch", () => {
  const t = new Tensor("float32", Float32Array.from([0.5, -1, 2, 3, 4.25, 5]), [2, 3]);
  const text = render(t).bundle["text/plain"];
  assert.not.ok(text.includes("..."));
  assert.ok(text.endsWith("[[ 0.5000, -1.0000,  2.0000],\n [ 3.0000,  4.2500,  5.0000]]"), text);
});

test("a 2-D table keeps the first and last 6 rows and columns, with ellipsis rows and columns", () => {
  const t = new Tensor("float32", Float32Array.from({ length: 20 * 30 }, (_, i) => i), [20, 30]);
  const html = render(t).bundle["text/html"]!;
  assert.is((html.match(/<tr>/g) ?? []).length, 1 + 6 + 1 + 6, "header + 6 + ⋮ + 6 rows");
  const headerCells = /<tr>(.*?)<\/tr>/.exec(html)![1]!.match(/<th/g)!.length;
  assert.is(headerCells, 1 + 6 + 1 + 6);
  assert.ok(html.includes(">599.0000<"), "the last element (19, 29) is shown");
  assert.not.ok(html.includes(">300.0000<"), "a middle element is not");
});

test("int64 (BigInt64Array) values exactly, bool as true/false, float16 bits decoded", () => {
  const big = 9007199254740993n; // not representable as a double
  const i64 = render(new Tensor("int64", BigInt64Array.from([1n, big]), [2])).bundle["text/plain"];
  assert.ok(i64.startsWith("Tensor int64 [2]"));
  assert.ok(i64.includes(big.toString()), i64);
  const b = render(new Tensor("bool", Uint8Array.from([1, 0, 1]), [3])).bundle["text/plain"];
  assert.ok(b.includes("2 true of 3"));
  assert.equal(b.split("\n")[1]!.replace(/[[\]\s]/g, "").split(","), ["true", "false", "true"]);
  // 0x3c00 = 1, 0xc000 = -2, 0x3800 = 0.5, 0x7c00 = +inf
  const f16 = render(new Tensor("float16", Uint16Array.from([0x3c00, 0xc000, 0x3800, 0x7c00]), [4])).bundle["text/plain"];
  assert.equal(f16.split("\n")[1]!.replace(/[[\]\s]/g, "").split(","), ["1.0000", "-2.0000", "0.5000", "inf"]);
  assert.ok(f16.includes("min -2") && f16.includes("max 1,"), f16);
});

test("objects: a collapsible <details> tree nested like the data, pretty JSON text", () => {
  const value = { a: { b: { c: [1, 2] } }, name: "x" };
  const fig = render(value);
  assert.equal(JSON.parse(fig.bundle["text/plain"]), value, "the text of plain JSON data is JSON");
  const html = fig.bundle["text/html"]!;
  assert.is((html.match(/<details/g) ?? []).length, 4, "root, a, b, c");
  assert.is(detailsDepth(html, html.indexOf(">c</span>")), 4);
  assert.is(detailsDepth(html, html.indexOf(">name</span>")), 1);
});

test("huge arrays are cut with a count of the rest; typed arrays are one line", () => {
  const fig = render({ xs: Array.from({ length: 1000 }, (_, i) => i), emb: new Float32Array(4096) });
  assert.ok(fig.bundle["text/plain"].includes("… 900 more"));
  assert.ok(fig.bundle["text/html"]!.includes("… 900 more"));
  assert.not.ok(fig.bundle["text/plain"].includes("999"));
  assert.ok(/"emb": Float32Array\(4096\) \[0, 0, .*…\]\n/.test(fig.bundle["text/plain"]), fig.bundle["text/plain"].slice(-100));
});

test("anything from data is HTML-escaped", () => {
  const fig = render({ "<img src=x onerror=alert(1)>": "<script>alert(1)</script>", list: ["</details>"] });
  const html = fig.bundle["text/html"]!;
  assert.not.ok(/<script|<img/.test(html), html);
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.is((html.match(/<details/g) ?? []).length, (html.match(/<\/details>/g) ?? []).length, "a '</details>' string does not close a tree node");
  const s = render("<b>bold?</b>");
  assert.is(s.bundle["text/plain"], "<b>bold?</b>");
  assert.is(s.bundle["text/html"], undefined, "a string is shown as text, never as HTML");
});

test("numbers, booleans, null; a Figure is returned as it is", () => {
  assert.is(render(42).bundle["text/plain"], "42");
  assert.is(render(true).bundle["text/plain"], "true");
  assert.is(render(null).bundle["text/plain"], "null");
  const f = new Figure({ "text/plain": "x", "text/html": "<i>x</i>" });
  assert.is(render(f), f);
});

test("the model and a module: their repr as text, collapsible per block in HTML", async () => {
  const { model } = await tiny();
  const fig = render(model);
  const repr = model.toString();
  assert.is(fig.bundle["text/plain"], repr);
  const html = fig.bundle["text/html"]!;
  const blocks = repr.split("\n").filter((l) => l.trimEnd().endsWith("(")).length;
  assert.ok(blocks > 3);
  assert.is((html.match(/<details/g) ?? []).length, blocks, "one <details> per multi-line block");
  const text = html.replace(/<[^>]+>/g, "");
  for (const line of repr.split("\n")) assert.ok(text.includes(line.trim()), line);
  const attn = model.getSubmodule("model.layers.0.self_attn");
  assert.is(render(attn).bundle["text/plain"], attn.toString());
  assert.ok(render(attn).bundle["text/html"]!.includes(attn.className));
});

/** A module tree built by hand: each spec is [localName, className, extraRepr?, children?]. */
type Spec = [string, string, string?, Spec[]?];
function moduleTree([name, className, extra = "", kids = []]: Spec, parent = ""): Module {
  const full = parent && name ? `${parent}.${name}` : name;
  const unused = {} as never; // the graph info and runtime: only hooks and forward() read them
  const m = new Module(full, className, unused, unused, [], extra);
  for (const kid of kids) m.addChild(moduleTree(kid, full));
  return m;
}

interface Element {
  tag: string;
  kids: Array<Element | string>;
}
/** The view's HTML as elements and (unescaped) text; it has no void elements and no attributes that matter here. */
function parseHtml(html: string): Element {
  const root: Element = { tag: "", kids: [] };
  const stack = [root];
  for (const [, close, tag, text] of html.matchAll(/<(\/?)(\w+)[^>]*>|([^<]+)/g)) {
    const top = stack.at(-1)!;
    if (text !== undefined) top.kids.push(text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
    else if (close) stack.pop();
    else {
      const element: Element = { tag: tag!, kids: [] };
      top.kids.push(element);
      stack.push(element);
    }
  }
  return root;
}
const textsOf = (e: Element | string): string[] => (typeof e === "string" ? [e] : e.kids.flatMap(textsOf));

interface Block {
  line: string;
  rows: Block[];
}
/** A one-line <div>, or a <details>: its <summary> line, then a <div> of rows, then the closing line. */
function blockOf(e: Element): Block {
  if (e.tag === "div") return { line: textsOf(e).join(""), rows: [] };
  const [summary, inner] = e.kids as Element[];
  return { line: textsOf(summary!).join(""), rows: inner!.kids.map((k) => blockOf(k as Element)) };
}
/** The module view's HTML read back: its blocks, and all its lines in order. */
function htmlTree(html: string): { blocks: Block[]; lines: string[] } {
  const view = parseHtml(html).kids[0] as Element;
  return { blocks: view.kids.map((k) => blockOf(k as Element)), lines: textsOf(view) };
}
const linesOf = (b: Block) => b.rows.map((r) => r.line);

test("a module's HTML is its children() tree: ModuleList runs grouped as print() groups them, one block per multi-line module", () => {
  const block = (out: number): Spec => ["", "Block", "", [["proj", "Linear", `in_features=4, out_features=${out}, bias=False`], ["act", "SiLU"]]];
  const root = moduleTree(["", "Net", "", [
    ["embed", "Embedding", "10, 4"],
    ["blocks", "ModuleList", "", ["0", "1", "2", "3", "4"].map((k, i) => { const b = block(i === 3 ? 8 : 4); b[0] = k; return b; })],
    // an extra_repr over several lines, with lines that look like a block's start and end
    ["odd", "Odd", "sizes=(\n4, 4\n)", [["lin", "Linear", "in_features=4, out_features=2, bias=True"]]],
  ]]);
  const fig = render(root);
  const repr = root.toString();
  assert.is(fig.bundle["text/plain"], repr);
  const html = fig.bundle["text/html"]!;
  const { blocks, lines } = htmlTree(html);
  assert.equal(lines, repr.split("\n").map((l) => l.trim()), "the HTML shows print()'s lines, in order");

  assert.is(blocks.length, 1);
  const net = blocks[0]!;
  assert.is(net.line, "Net(");
  assert.equal(linesOf(net), ["(embed): Embedding(10, 4)", "(blocks): ModuleList(", "(odd): Odd("]);
  const list = net.rows[1]!;
  assert.equal(linesOf(list), ["(0-2): 3 x Block(", "(3): Block(", "(4): Block("], "runs of equal children once, a different one breaks the run");
  assert.equal(linesOf(list.rows[0]!), ["(proj): Linear(in_features=4, out_features=4, bias=False)", "(act): SiLU()"]);
  assert.equal(linesOf(list.rows[1]!), ["(proj): Linear(in_features=4, out_features=8, bias=False)", "(act): SiLU()"]);
  const odd = net.rows[2]!;
  assert.equal(linesOf(odd), ["sizes=(", "4, 4", ")", "(lin): Linear(in_features=4, out_features=2, bias=True)"], "extra_repr lines are lines, not blocks");
  assert.equal(odd.rows.map((r) => r.rows.length), [0, 0, 0, 0]);
  // Net, the ModuleList, its three Block rows and Odd
  assert.is((html.match(/<details/g) ?? []).length, 6);
  assert.is((html.match(/<details open>/g) ?? []).length, 3, "the first two levels open: Net, the ModuleList and Odd");
});

test("a module repr is escaped", () => {
  const fake = moduleTree(["", "Weird", "", [["x", "<script>alert(1)</script>"]]]);
  assert.is(fake.toString(), "Weird(\n  (x): <script>alert(1)</script>()\n)");
  const html = render(fake).bundle["text/html"]!;
  assert.not.ok(html.includes("<script"));
  assert.ok(html.includes("(x): &lt;script&gt;alert(1)&lt;/script&gt;()"));
});

test.run();
