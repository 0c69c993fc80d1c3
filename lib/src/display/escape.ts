// Escaping for the places data ends up in: HTML text and attributes, and JSON inside a <script> element.

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and (double- or single-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * JSON that is safe inside an inline `<script>`: `<` is written as `\u003c` (so no `</script>` or `<!--` can end
 * or confuse the element), and the line separators JavaScript once rejected in strings are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * A token as a student should see it: quoted like a JSON string (so "\n" shows as \n), with spaces made visible
 * as ␣. `quoteToken(" the")` is `"␣the"`.
 */
export function quoteToken(token: string): string {
  return JSON.stringify(token).replace(/ /g, "␣");
}

/** A label with its leading/trailing spaces and control characters made visible, unquoted: " the" → "␣the". */
export function visibleLabel(label: string): string {
  const inner = label.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return inner.replace(/^ +| +$/g, (s) => "␣".repeat(s.length));
}
