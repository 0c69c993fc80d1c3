// A browser widget in an output: the bundle that `npm run build` makes of lib/client/<name>.ts
// (lib/dist/client/<name>.js, see scripts/bundle-widgets.mjs) inlined into the HTML, and run on the widget's own
// element with the data Node computed. The bundle defines `widget`, whose mount<Name>(root, data) builds the widget.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { WidgetData } from "../../shared/widget-data.js";
import { escapeHtml, jsonForScript } from "./escape.js";

export type WidgetName = keyof WidgetData;

const scripts = new Map<WidgetName, string>();

/** The built browser script of a widget, read from lib/dist/client once per process. */
export function widgetScript(name: WidgetName): string {
  let text = scripts.get(name);
  if (text === undefined) {
    const file = fileURLToPath(new URL(`../../client/${name}.js`, import.meta.url));
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new Error(`The ${name} widget's browser code ${file} is missing: build it with "npm run build".`);
    }
    if (/<\/script/i.test(text)) throw new Error(`The ${name} widget's browser code ${file} contains "</script" and cannot be inlined.`);
    scripts.set(name, text);
  }
  return text;
}

export interface MountOptions {
  /** The id of the widget's element, unique on the page. */
  id: string;
  className: string;
  /** HTML shown until the script replaces it, i.e. where scripts do not run. */
  placeholderHtml: string;
}

/** The widget's element, then a script that mounts the widget on it with `data` (embedded as JSON). */
export function widgetHtml<N extends WidgetName>(name: N, data: WidgetData[N], { id, className, placeholderHtml }: MountOptions): string {
  const mount = `mount${name[0]!.toUpperCase()}${name.slice(1)}`;
  return (
    `<div id="${escapeHtml(id)}" class="${escapeHtml(className)}">${placeholderHtml}</div>` +
    `<script>(function () {\n${widgetScript(name)}\nwidget.${mount}(document.getElementById(${jsonForScript(id)}), ${jsonForScript(data)});\n})();</script>`
  );
}
