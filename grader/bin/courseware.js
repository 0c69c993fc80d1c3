#!/usr/bin/env node
// The `courseware` command: a fixed entry point (so npm can link it before the TypeScript is built).
import { existsSync } from "node:fs";

const cli = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("courseware: the grader is not built yet; run `npm run build` in the course folder first.");
  process.exit(2);
}
await import(cli.href);
