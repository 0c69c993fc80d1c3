// The helper that inlines a built browser widget into an output (src/display/widget.ts), and the bundles it reads.
import { Script, createContext } from "node:vm";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type WidgetName, widgetHtml, widgetScript } from "../src/display/widget.js";

const WIDGETS: Array<[WidgetName, string]> = [
  ["inspector", "mountInspector"],
  ["playground", "mountPlayground"],
];

test("each bundle is a classic script that defines widget.mount<Name>, and nothing else global but `widget`", () => {
  for (const [name, mount] of WIDGETS) {
    const context = createContext({});
    const before = new Set(Object.getOwnPropertyNames(context));
    // a Script (not a module) rejects import and export statements
    new Script(widgetScript(name), { filename: `${name}.js` }).runInContext(context);
    assert.is(new Script(`typeof widget.${mount}`).runInContext(context), "function", name);
    const added = Object.getOwnPropertyNames(context).filter((k) => !before.has(k));
    assert.equal(added, ["widget"], `${name} adds only widget`);
  }
});

test("widgetHtml: the element, then a script that mounts the widget on that element with the data", () => {
  const data = { calls: [{ index: 0, name: "</script><script>alert(1)//", className: "X\u2028", depth: 0, inputs: [], outputs: [] }], omitted: 0 };
  const html = widgetHtml("inspector", data, { id: "w-1", className: "cw-x", placeholderHtml: "<i>needs JavaScript</i>" });
  assert.ok(html.startsWith('<div id="w-1" class="cw-x"><i>needs JavaScript</i></div><script>'), html.slice(0, 80));
  assert.ok(html.endsWith("</script>"));
  assert.is(html.match(/<\/script/gi)?.length, 1, "the data cannot end the script early");
  assert.not.ok(html.includes("\u2028"));

  // the script is the bundle, then the mount call: with a stand-in bundle and document, see what it mounts
  const script = /<script>([\s\S]*)<\/script>$/.exec(html)![1]!;
  const bundle = widgetScript("inspector");
  assert.ok(script.includes(bundle), "the bundle is inlined as it is");
  const calls: unknown[][] = [];
  const context = createContext({
    document: { getElementById: (id: string) => ({ element: id }) },
    record: (...args: unknown[]) => void calls.push(args),
  });
  new Script(script.replace(bundle, "var widget = { mountInspector: record };")).runInContext(context);
  // the data was built in the script's own realm: compare it as JSON
  assert.equal(JSON.parse(JSON.stringify(calls)), [[{ element: "w-1" }, data]]);
});

test("a widget whose bundle is missing: the error names the file and the build command", () => {
  assert.throws(
    () => widgetScript("no-such-widget" as WidgetName),
    (e: unknown) => e instanceof Error && /client\/no-such-widget\.js is missing/.test(e.message) && e.message.includes('"npm run build"'),
  );
});

test.run();
