import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Cell, NbgraderMetadata, Notebook } from "../src/notebook/nbformat.js";
import { toSourceLines } from "../src/notebook/nbformat.js";

/** The repository root (tests run from grader/dist/test). */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The environment for Jupyter run by a test: the project's kernel specs, and its own config and runtime under `work`. */
export function jupyterEnvIn(work: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_PATH: ROOT,
    JUPYTER_CONFIG_DIR: join(work, ".jupyter-config"),
    JUPYTER_DATA_DIR: join(work, ".jupyter-data"),
    JUPYTER_RUNTIME_DIR: join(work, ".jupyter-runtime"),
    IPYTHONDIR: join(work, ".ipython"),
  };
}

export function nbgrader(grade_id: string, flags: Partial<NbgraderMetadata>): NbgraderMetadata {
  return { grade_id, solution: false, grade: false, locked: false, schema_version: 3, ...flags };
}

export function code(source: string, metadata: Cell["metadata"] = {}): Cell {
  return { cell_type: "code", metadata, source: toSourceLines(source), outputs: [], execution_count: null };
}

export function markdown(source: string, metadata: Cell["metadata"] = {}): Cell {
  return { cell_type: "markdown", metadata, source: toSourceLines(source) };
}

export function notebook(cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}
