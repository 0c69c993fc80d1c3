import { mkdtemp, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CellCompiler } from "../src/grade/compile/cell-compiler.js";
import { DEFAULT_LIMITS, type SandboxLimits, runInSandbox } from "../src/grade/sandbox.js";
import { ROOT } from "./helpers.js";

const readable = [join(ROOT, "node_modules"), join(ROOT, "grader/dist"), join(ROOT, "lib")];
const env = { PATH: "/usr/bin:/bin" };
const compilers = new Map<string, CellCompiler>();
/** One compile server per folder of test runs, as one per batch; it ends with the test process. */
export function compilerFor(workRoot: string, compileTimeoutMs = DEFAULT_LIMITS.compileTimeoutMs): CellCompiler {
  const key = `${workRoot}|${compileTimeoutMs}`;
  let compiler = compilers.get(key);
  if (!compiler) {
    compiler = new CellCompiler({ workRoot, readable, env, timeoutMs: compileTimeoutMs, maxHeapMb: DEFAULT_LIMITS.maxHeapMb });
    compilers.set(key, compiler);
    const c = compiler;
    process.once("exit", () => void c.close());
  }
  return compiler;
}

/** Runs cells in a real sandbox, in a fresh folder whose path starts with `prefix` (inside the project). */
export async function runCells(prefix: string, cells: string[], names: string[] = [], limits: Partial<SandboxLimits> = {}, where: { osLayer?: boolean; slot?: number } = {}) {
  const workDir = await mkdtemp(prefix);
  const all = { ...DEFAULT_LIMITS, ...limits };
  const compiler = compilerFor(dirname(prefix), all.compileTimeoutMs).session(workDir);
  try {
    return await runInSandbox(cells, names, { workDir, compiler, readable, env, limits: all, ...where });
  } finally {
    compiler.close();
    await rm(workDir, { recursive: true, force: true });
  }
}
