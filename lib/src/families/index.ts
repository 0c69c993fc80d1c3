import type { Family } from "./family.js";
import { generic } from "./generic.js";
import { gpt2 } from "./gpt2.js";
import { llama } from "./llama.js";
import { phi3 } from "./phi3.js";
import { qwen2 } from "./qwen2.js";

export type { Family } from "./family.js";
export const FAMILIES: Family[] = [phi3, llama, qwen2, gpt2];

export function familyOf(modelType: string | undefined): Family {
  return FAMILIES.find((f) => modelType !== undefined && f.modelTypes.includes(modelType)) ?? generic;
}

/** The class a module would have in PyTorch; the root takes the config's architecture name. */
export function classNameOf(family: Family, path: string, architecture: string | undefined): string {
  if (path === "") return architecture ?? "Module";
  return family.classes.find(([re]) => re.test(path))?.[1] ?? "Module";
}
