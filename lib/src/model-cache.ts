import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The model used when none is named: the small trained model that ships in model-cache/. */
export const DEFAULT_MODEL = "phi3-tiny-course";

/** Where models are read from: $COURSEWARE_MODEL_CACHE, else the package's own model-cache/ folder. */
export function modelCacheDir(): string {
  const fromEnv = process.env["COURSEWARE_MODEL_CACHE"];
  if (fromEnv) return resolve(fromEnv);
  return fileURLToPath(new URL("../../../model-cache/", import.meta.url)).replace(/\/$/, "");
}

export class ModelNotFoundError extends Error {
  override name = "ModelNotFoundError";
}

/** A model is a folder name inside the cache, or a path to a model folder. */
export function resolveModelDir(model: string | undefined, cacheDir: string = modelCacheDir()): string {
  const name = model ?? process.env["COURSEWARE_MODEL"] ?? DEFAULT_MODEL;
  const dir = isAbsolute(name) || name.startsWith(".") ? resolve(name) : join(cacheDir, name);
  if (!existsSync(dir)) {
    throw new ModelNotFoundError(
      `No model "${name}" at ${dir}. Put a model folder there (see model-cache/README.md), ` +
        `or pick another with loadModel({ model }) or the COURSEWARE_MODEL / COURSEWARE_MODEL_CACHE environment variables.`,
    );
  }
  for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"]) {
    if (!existsSync(join(dir, file))) {
      throw new ModelNotFoundError(`The model folder ${dir} has no ${file}; a model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.`);
    }
  }
  return dir;
}
