#!/usr/bin/env node
// The `courseware` command: a fixed entry point (so npm can link it before the TypeScript is built). An unbuilt or
// half-installed project stops here with one message and exit code 3 (see grader/src/errors.ts), like a sandbox
// that cannot start.
import { existsSync } from "node:fs";

const ENVIRONMENT_EXIT = 3;
const cli = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("courseware: the grader is not built yet; run `npm run build` in the course folder first.");
  process.exit(ENVIRONMENT_EXIT);
}
try {
  await import(cli.href);
} catch (e) {
  // a module the grader imports is missing (lib/dist not built, a package not installed); anything else is a bug
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  console.error(`courseware: the grader cannot load: ${String(e.message).split("\n")[0]}; run \`npm ci && npm run build\` in the course folder first.`);
  process.exit(ENVIRONMENT_EXIT);
}
