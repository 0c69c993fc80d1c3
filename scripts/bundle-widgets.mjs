#!/usr/bin/env node
// Bundles each widget's browser code, lib/client/<name>.ts and what it imports, into lib/dist/client/<name>.js:
// one classic script (no import or export) that defines `widget`, whose mount<Name>(root, data) the Node side
// calls (lib/src/display/widget.ts). Run by `npm run build` once tsc has type-checked lib/client.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const entryPoints = readdirSync(new URL("../lib/client/", import.meta.url))
  .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
  .map((name) => `lib/client/${name}`);

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: "lib/dist/client",
  bundle: true,
  format: "iife",
  globalName: "widget",
  target: "es2020",
  logLevel: "warning",
});
