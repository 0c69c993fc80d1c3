#!/usr/bin/env node
// npm run notebook: the classic Jupyter Notebook UI on assignments/, with this project's kernels, tslab and Deno
// (kernels/*/kernel.json, found through JUPYTER_PATH). Extra arguments go to `jupyter notebook`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const jupyter = existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter";
const child = spawn(jupyter, ["notebook", `--notebook-dir=${root}assignments`, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, JUPYTER_PATH: [root, process.env.JUPYTER_PATH].filter(Boolean).join(":") },
});
child.on("error", (e) => {
  console.error(
    e.code === "ENOENT"
      ? "Jupyter is not installed. On Debian or Ubuntu: sudo apt-get install jupyter-notebook"
      : `Could not start Jupyter: ${e.message}`,
  );
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => child.kill(s));
