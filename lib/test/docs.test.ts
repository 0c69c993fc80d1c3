// The API reference must cover every export: each name the package exports appears in lib/docs/ in backticks.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers.js";

const LIB = join(ROOT, "lib");

function exportedNames(): string[] {
  const source = readFileSync(join(LIB, "src", "index.ts"), "utf8");
  const names: string[] = [];
  for (const [, list] of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of list!.split(",")) {
      const name = item.replace(/^\s*type\s+/, "").split(/\s+as\s+/).pop()!.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

test("every export of @courseware/lib is documented in lib/docs/", async () => {
  const docs = readdirSync(join(LIB, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => readFileSync(join(LIB, "docs", f), "utf8"))
    .join("\n");
  const names = exportedNames();
  const runtime = Object.keys(await import("../src/index.js"));
  for (const name of runtime) assert.ok(names.includes(name), `${name} is exported at run time but not found in index.ts`);
  const missing = names.filter((n) => !new RegExp("`" + n + "[`(<.\\s]").test(docs));
  assert.equal(missing, [], `not documented in lib/docs/: ${missing.join(", ")}`);
});

test.run();
