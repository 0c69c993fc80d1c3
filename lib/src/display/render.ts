// render(value): the Figure for any value a lesson shows; show(value): render it and put it on screen.
import { escapeHtml } from "./escape.js";
import { ActivationCache } from "../activation-cache.js";
import { PendingChart } from "./chart.js";
import { Figure, emit } from "./figure.js";
import { inspector } from "./inspector.js";
import { isContainer, jsonTreeHtml, leafText, prettyText } from "./json.js";
import { isModuleTree, moduleHtml, moduleText } from "./module-view.js";
import { isTensorLike, tensorHtml, tensorText } from "./tensor.js";

/**
 * The forms a value is shown in, without showing it. A Figure is returned as it is; a Tensor gets its values
 * (summarised) and a table; recorded hook calls or an ActivationCache the module inspector; a module or model its tree; objects and arrays a collapsible tree; anything else text.
 */
export function render(value: unknown): Figure {
  if (value instanceof Figure) return value;
  if (value instanceof ActivationCache || isHookCalls(value)) return inspector(value as ActivationCache);
  if (isTensorLike(value)) return new Figure({ "text/plain": tensorText(value), "text/html": tensorHtml(value) });
  if (isModuleTree(value)) return new Figure({ "text/plain": moduleText(value), "text/html": moduleHtml(value) });
  if (typeof value === "string") return new Figure({ "text/plain": value });
  if (isContainer(value)) return new Figure({ "text/plain": prettyText(value), "text/html": jsonTreeHtml(value) });
  const text = leafText(value) ?? String(value);
  return new Figure({ "text/plain": text, "text/html": `<code>${escapeHtml(text)}</code>` });
}

/** A non-empty array of recorded hook calls ({ module, args, output }), as the lesson collects them. */
function isHookCalls(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((c) => typeof c === "object" && c !== null && "module" in c && "args" in c && "output" in c && Array.isArray(c.args))
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Shows a value in the notebook (outside one: prints its text). A promise, such as a chart being drawn, is
 * awaited first: `await show(heatmap(m))`.
 */
export function show(value: PromiseLike<unknown>): Promise<void>;
export function show(value: unknown): void;
export function show(value: unknown): void | Promise<void> {
  if (value instanceof PendingChart) return value.show(); // drawn unless the display is discarded unseen
  if (isPromiseLike(value)) return Promise.resolve(value).then((v) => emit(render(v)));
  emit(render(value));
}
