// The module inspector's browser half: a list of recorded module calls (execution order) and, for the one
// picked, its inputs and outputs with shape, dtype, statistics, first values and a tiny picture of the values.
import type { InspectorData, TensorSummary, ValuePreview } from "../shared/widget-data.js";

/** Builds the inspector in `root` from the calls summarised in Node (src/display/inspector.ts). */
export function mountInspector(root: HTMLElement, { calls, omitted }: InspectorData): void {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const num = (x: number | null | undefined): string => {
    if (x === null || x === undefined) return "–";
    if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
    const a = Math.abs(x);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
  };
  // viridis, five stops
  const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const color = (q: number): [number, number, number] => {
    if (q < 0) return [208, 208, 208];
    const t = (q / 255) * (STOPS.length - 1);
    const i = Math.min(STOPS.length - 2, Math.floor(t));
    const f = t - i;
    const a = STOPS[i]!, b = STOPS[i + 1]!;
    return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
  };

  function picture(p: ValuePreview): HTMLElement {
    const title = `${p.slice}: ${num(p.lo)} … ${num(p.hi)}`;
    if (p.rows === 1) {
      // sparkline
      const w = 140, h = 28;
      const ns = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(ns, "svg");
      svg.setAttribute("width", String(w));
      svg.setAttribute("height", String(h));
      svg.setAttribute("class", "cwi-spark");
      const pts = p.q.map((v, i) => `${((i / Math.max(1, p.q.length - 1)) * (w - 2) + 1).toFixed(1)},${v < 0 ? h / 2 : (h - 2 - (v / 255) * (h - 4)).toFixed(1)}`);
      const line = document.createElementNS(ns, "polyline");
      line.setAttribute("points", pts.join(" "));
      line.setAttribute("fill", "none");
      line.setAttribute("stroke", "#4c78a8");
      line.setAttribute("stroke-width", "1.2");
      svg.appendChild(line);
      const t = document.createElementNS(ns, "title");
      t.textContent = title;
      svg.appendChild(t);
      return svg as unknown as HTMLElement;
    }
    const canvas = el("canvas", "cwi-heat");
    canvas.width = p.cols;
    canvas.height = p.rows;
    canvas.title = title;
    const scale = Math.max(1, Math.min(6, Math.floor(160 / p.cols)));
    canvas.style.width = `${p.cols * scale}px`;
    canvas.style.height = `${p.rows * Math.max(scale, 3)}px`;
    const ctx = canvas.getContext("2d");
    if (ctx) {
      const img = ctx.createImageData(p.cols, p.rows);
      p.q.forEach((q, i) => {
        const [r, g, b] = color(q);
        img.data.set([r, g, b, 255], i * 4);
      });
      ctx.putImageData(img, 0, 0);
    }
    return canvas;
  }

  function tensorTable(title: string, tensors: TensorSummary[]): HTMLElement {
    const box = el("div", "cwi-section");
    box.appendChild(el("div", "cwi-section-title", `${title} (${tensors.length})`));
    if (tensors.length === 0) {
      box.appendChild(el("div", "cwi-muted", "none"));
      return box;
    }
    const table = el("table", "cwi-table");
    const head = el("tr");
    for (const h of ["name", "dtype", "shape", "min", "max", "mean", "values", "first values"]) head.appendChild(el("th", undefined, h));
    table.appendChild(head);
    for (const t of tensors) {
      const tr = el("tr");
      tr.dataset.role = "tensor";
      // LRM marks keep the name's slashes in place in the right-to-left cell (which cuts long names at the start)
      const name = el("td", "cwi-name", `\u200e${t.name}\u200e`);
      name.title = t.name;
      tr.appendChild(name);
      tr.appendChild(el("td", "cwi-dtype", t.dtype));
      const shape = el("td", "cwi-shape", t.note ?? `[${t.dims.join(", ")}]`);
      shape.dataset.role = "shape";
      tr.appendChild(shape);
      tr.appendChild(el("td", "cwi-num", num(t.stats?.min)));
      tr.appendChild(el("td", "cwi-num", num(t.stats?.max)));
      const mean = el("td", "cwi-num", num(t.stats?.mean));
      if (t.stats && (t.stats.nan || t.stats.inf)) mean.title = `${t.stats.nan} NaN, ${t.stats.inf} ±inf`;
      tr.appendChild(mean);
      const pic = el("td");
      if (t.preview) pic.appendChild(picture(t.preview));
      tr.appendChild(pic);
      const sample = el("td", "cwi-sample", t.sample.join(", ") + (t.sample.length && t.dims.reduce((a, b) => a * b, 1) > t.sample.length ? ", …" : ""));
      sample.title = sample.textContent ?? "";
      tr.appendChild(sample);
      table.appendChild(tr);
    }
    box.appendChild(table);
    return box;
  }

  root.textContent = "";
  const wrap = el("div", "cwi-wrap");
  const side = el("div", "cwi-side");
  const filter = el("input", "cwi-filter");
  filter.placeholder = "filter modules…";
  const list = el("div", "cwi-list");
  list.setAttribute("role", "listbox");
  const panel = el("div", "cwi-panel");
  side.appendChild(filter);
  side.appendChild(list);
  wrap.appendChild(side);
  wrap.appendChild(panel);
  root.appendChild(wrap);

  const items: HTMLButtonElement[] = [];
  let selected = -1;
  function select(i: number): void {
    const call = calls[i];
    if (!call) return;
    if (items[selected]) items[selected]!.classList.remove("cwi-selected");
    selected = i;
    items[i]!.classList.add("cwi-selected");
    items[i]!.setAttribute("aria-selected", "true");
    panel.textContent = "";
    const title = el("div", "cwi-title", call.name || "(root)");
    title.dataset.role = "title";
    panel.appendChild(title);
    panel.appendChild(el("div", "cwi-muted", `${call.className} · call ${call.index + 1} of ${calls.length + omitted}`));
    panel.appendChild(tensorTable("inputs", call.inputs));
    panel.appendChild(tensorTable("outputs", call.outputs));
  }
  calls.forEach((call, i) => {
    const b = el("button", "cwi-item");
    b.type = "button";
    b.dataset.name = call.name;
    b.style.paddingLeft = `${4 + call.depth * 10}px`;
    b.appendChild(el("span", "cwi-item-name", call.name || "(root)"));
    b.appendChild(el("span", "cwi-item-class", ` ${call.className}`));
    b.addEventListener("click", () => select(i));
    items.push(b);
    list.appendChild(b);
  });
  if (omitted > 0) list.appendChild(el("div", "cwi-muted", `… ${omitted} more calls not shown (size cap)`));
  list.addEventListener("keydown", (e) => {
    const step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    let j = selected + step;
    while (items[j] && items[j]!.style.display === "none") j += step;
    if (items[j]) {
      select(j);
      items[j]!.focus();
    }
  });
  filter.addEventListener("input", () => {
    const q = filter.value.trim().toLowerCase();
    calls.forEach((c, i) => {
      items[i]!.style.display = !q || c.name.toLowerCase().includes(q) || c.className.toLowerCase().includes(q) ? "" : "none";
    });
  });
  if (calls.length) select(0);
  else panel.appendChild(el("div", "cwi-muted", "No calls recorded: register forward hooks and run the model first."));
}
