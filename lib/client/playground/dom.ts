// Small DOM helpers for the playground.

/** An element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** A canvas of w × h CSS pixels backed by as many device pixels as the screen has, drawn on in CSS pixels. */
export function hiDpiCanvas(w: number, h: number, cls: string): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = el("canvas", { class: cls });
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(w * dpr);
  c.height = Math.round(h * dpr);
  c.style.width = `${w}px`;
  c.style.height = `${h}px`;
  const ctx = c.getContext("2d")!;
  ctx.scale(dpr, dpr);
  return [c, ctx];
}
