import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_LIMITS, type SandboxLimits, runInSandbox } from "../src/grade/sandbox.js";
import { ROOT } from "./helpers.js";

/** Runs cells in a real sandbox, in a fresh folder whose path starts with `prefix` (inside the project). */
export async function runCells(prefix: string, cells: string[], names: string[] = [], limits: Partial<SandboxLimits> = {}) {
  const workDir = await mkdtemp(prefix);
  try {
    return await runInSandbox(cells, names, {
      workDir,
      readable: [join(ROOT, "node_modules"), join(ROOT, "grader/dist")],
      env: { PATH: "/usr/bin:/bin" },
      limits: { ...DEFAULT_LIMITS, ...limits },
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
