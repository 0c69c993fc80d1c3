// Starts Deno's Jupyter kernel (`deno jupyter --kernel`) with the Deno that npm installed for this project (the
// pinned `deno` devDependency, its binary from npm's @deno/<platform> package), as kernels/tslab starts the
// project's tslab. Jupyter interrupts a kernel by sending SIGINT to its whole process group, which reaches Deno
// directly, so this process only stays out of the way; other signals are passed on.
"use strict";
const { spawn } = require("node:child_process");
const { join } = require("node:path");

let exe;
try {
  exe = require(join(__dirname, "../../node_modules/deno/install_api.cjs")).runInstall();
} catch (e) {
  console.error(`The project's Deno is not installed (${e.message}): run \`npm ci\` in the course folder.`);
  process.exit(1);
}
const child = spawn(exe, ["jupyter", "--kernel", "--conn", process.argv[2]], { stdio: "inherit" });
process.on("SIGINT", () => undefined);
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(signal ? 128 + (require("node:os").constants.signals[signal] ?? 0) : (code ?? 0)));
