// Vega-Lite specs drawn to SVG in Node. vega and vega-lite are imported on first use: they are ESM-only and
// slow to load, and the library must stay loadable with require() (no top-level await) and quick to import.
import type { TopLevelSpec } from "vega-lite";

const CONFIG = {
  font: "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 160 },
  title: { fontSize: 14, anchor: "start" as const, offset: 8 },
};

/** How many charts this process has drawn (the tests check which displays are drawn). */
export const drawing = { count: 0 };

/** Compiles a Vega-Lite spec and renders it headless to an SVG string. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  drawing.count++;
  const [vl, vega] = await Promise.all([import("vega-lite"), import("vega")]);
  const full = { ...spec, config: { ...CONFIG, ...(spec as { config?: object }).config } } as TopLevelSpec;
  const compiled = vl.compile(full).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return withTooltips(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega's headless SVG has no tooltips, but each mark carries its description as aria-label (already escaped);
 * copying it into a <title> child makes browsers show it on hover when the SVG is inline in the page.
 */
function withTooltips(svg: string): string {
  return svg.replace(
    /<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="(rect mark|bar)"([^>]*?)\/>/g,
    (_, label: string, kind: string, rest: string) =>
      `<path aria-label="${label}" role="graphics-symbol" aria-roledescription="${kind}"${rest}><title>${label}</title></path>`,
  );
}

/** A label array as a Vega expression literal: `labels[datum.value]` maps an index axis to its labels. */
export function labelLookup(labels: readonly string[]): string {
  return JSON.stringify(labels).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029") + "[datum.value]";
}
