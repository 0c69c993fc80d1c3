// What produced a score document, so that a result can be trusted and reproduced: the assignment (its source
// notebook, which holds the tests and the reference cells, and the release notebook made from it), the model files
// the notebooks load, the lockfile, the versions of the grader, Node.js, onnxruntime, transformers.js and tslab, and
// the sandbox's layers. `--resume` reuses a document only when its manifest is this batch's, and says why it did not.
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { modelCacheDir, resolveModelDir } from "@courseware/lib";
import type { Assignment } from "../assignment/load-assignment.js";
import { GRADER_VERSION } from "../version.js";

export interface Manifest {
  /** sha256 of the source notebook (solutions, tests, reference cells) and of the release notebook made from it. */
  assignment: { source: string; release: string };
  /** sha256 of each file of the model folder the notebooks load, by its path in the model cache. */
  model: Record<string, string>;
  /** sha256 of the project's package-lock.json (null when there is none). */
  lockfile: string | null;
  versions: { grader: string; node: string; onnxruntime: string; transformers: string; tslab: string };
  /** The isolation layers the batch's sandboxes run under. */
  sandbox: string[];
}

/** What changed between two manifests, in the words the end-of-batch screen uses. */
export type ManifestChange = "tests" | "model" | "grader" | "sandbox";

export const sha256 = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** The installed version of a package, as the project resolves it. */
function versionOf(projectRoot: string, pkg: string): string {
  try {
    const require = createRequire(join(projectRoot, "package.json"));
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

/**
 * The batch's manifest. The model is the folder notebooks load by default (COURSEWARE_MODEL, else the shipped
 * default): a notebook that names another model loads files this manifest does not list.
 */
export async function batchManifest(assignment: Assignment, projectRoot: string, sandbox: string[]): Promise<Manifest> {
  const modelDir = resolveModelDir(undefined);
  const base = modelCacheDir();
  const model: Record<string, string> = {};
  for (const file of await filesUnder(modelDir)) model[relative(base, file) || file] = sha256(await readFile(file));
  const lock = await readFile(join(projectRoot, "package-lock.json")).catch(() => null);
  return {
    assignment: { source: sha256(await readFile(assignment.sourcePath)), release: sha256(JSON.stringify(assignment.release)) },
    model,
    lockfile: lock && sha256(lock),
    versions: {
      grader: GRADER_VERSION,
      node: process.version,
      onnxruntime: versionOf(projectRoot, "onnxruntime-node"),
      transformers: versionOf(projectRoot, "@huggingface/transformers"),
      tslab: versionOf(projectRoot, "tslab"),
    },
    sandbox,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What differs between the manifest a document was made under and this batch's (empty: the same). */
export function manifestChanges(old: Manifest | undefined, now: Manifest): ManifestChange[] {
  if (old === undefined) return ["grader"]; // a document from a grader that kept no manifest
  const changes: ManifestChange[] = [];
  if (!same(old.assignment, now.assignment)) changes.push("tests");
  if (!same(old.model, now.model)) changes.push("model");
  if (!same(old.versions, now.versions) || old.lockfile !== now.lockfile) changes.push("grader");
  if (!same(old.sandbox, now.sandbox)) changes.push("sandbox");
  return changes;
}
