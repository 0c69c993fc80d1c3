// What produced a score document, so that a result can be trusted and reproduced: the assignment (its source
// notebook, which holds the tests and the reference cells, and the release notebook made from it), the model files
// the notebooks load, the lockfile, the versions of the grader, Node.js, onnxruntime, transformers.js and tslab, and
// the sandbox's layers. `--resume` reuses a document only when its manifest is this batch's, and says why it did not.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { modelCacheDir, resolveModelDir } from "@courseware/lib";
import type { Assignment } from "../assignment/load-assignment.js";
import type { Notebook } from "../notebook/nbformat.js";
import { listFiles } from "../collect/collect-submissions.js";
import { GRADER_VERSION } from "../version.js";

export interface Manifest {
  /** sha256 of the source notebook (solutions, tests, reference cells) and of the release notebook made from it. */
  assignment: { source: string; release: string };
  /** sha256 of each file transformers.js loads from the model folder the notebooks load, by its path in the model cache. */
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

/** The manifest's digest of a release notebook (`assignment.release`). */
export const releaseDigest = (release: Notebook): string => sha256(JSON.stringify(release));

/**
 * The installed version of a package, as the project resolves it: from the package.json above its entry point
 * (a package whose `exports` hide package.json, as transformers.js's do, cannot be asked for it by name).
 */
function versionOf(projectRoot: string, pkg: string): string {
  let dir: string;
  try {
    dir = dirname(createRequire(join(projectRoot, "package.json")).resolve(pkg));
  } catch {
    return "not installed";
  }
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (meta.name === pkg && meta.version) return meta.version;
    } catch {
      /* no package.json here: look further up */
    }
  }
  return "unknown";
}

/** The JSON files of a model folder that transformers.js reads for a causal LM and its tokenizer. */
const LOADED_JSON = new Set(["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]);

/**
 * Whether transformers.js reads a file of a model folder (its path in the folder): those JSON files and the ONNX
 * graphs and their external data under onnx/. Weights for training (model.safetensors), model cards, training
 * records and data files are not loaded by the notebooks.
 */
export const loadedFile = (path: string): boolean => LOADED_JSON.has(path) || path.startsWith("onnx/");

/**
 * The batch's manifest. The model is the folder notebooks load by default (COURSEWARE_MODEL, else the shipped
 * default): a notebook that names another model loads files this manifest does not list.
 */
export async function batchManifest(assignment: Assignment, projectRoot: string, sandbox: string[]): Promise<Manifest> {
  const modelDir = resolveModelDir(undefined);
  const base = modelCacheDir();
  const model: Record<string, string> = {};
  for (const file of (await listFiles(modelDir)).filter((f) => loadedFile(relative(modelDir, f)))) model[relative(base, file) || file] = sha256(await readFile(file));
  const lock = await readFile(join(projectRoot, "package-lock.json")).catch(() => null);
  return {
    assignment: { source: sha256(await readFile(assignment.sourcePath)), release: releaseDigest(assignment.release) },
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

/** What differs, in words a person can act on: "model: phi3-tiny-course/onnx/model.onnx differs", "grader: node v22.1.0, not v20.20.2". */
export function manifestDifferences(theirs: Manifest, ours: Manifest): string[] {
  const out: string[] = [];
  if (theirs.assignment.source !== ours.assignment.source) out.push("tests: the source notebook differs");
  else if (theirs.assignment.release !== ours.assignment.release) out.push("tests: the release notebook differs");
  for (const file of new Set([...Object.keys(theirs.model), ...Object.keys(ours.model)])) {
    if (!(file in ours.model)) out.push(`model: ${file} is missing here`);
    else if (!(file in theirs.model)) out.push(`model: ${file} is here but not in the batch's model`);
    else if (theirs.model[file] !== ours.model[file]) out.push(`model: ${file} differs`);
  }
  for (const [name, version] of Object.entries(theirs.versions)) {
    const here = ours.versions[name as keyof Manifest["versions"]];
    if (here !== version) out.push(`grader: ${name} ${here} here, ${version} in the batch`);
  }
  if (theirs.lockfile !== ours.lockfile) out.push("grader: package-lock.json differs");
  if (!same(theirs.sandbox, ours.sandbox)) out.push(`sandbox: ${ours.sandbox.join(" + ") || "none"} here, ${theirs.sandbox.join(" + ") || "none"} in the batch`);
  return out;
}
