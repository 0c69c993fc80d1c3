import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { ScoreDocument, SummaryDocument } from "./score-document.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Where the published schemas live (shipped with the package). */
export const SCHEMA_DIR = new URL("../../../schema/", import.meta.url);

function compile<T>(file: string): ValidateFunction<T> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addSchema(JSON.parse(readFileSync(new URL("manifest.schema.json", SCHEMA_DIR), "utf8")));
  return ajv.compile<T>(JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), "utf8")));
}

let score: ValidateFunction<ScoreDocument> | null = null;
let summary: ValidateFunction<SummaryDocument> | null = null;

function check<T>(validate: ValidateFunction<T>, doc: unknown, what: string): asserts doc is T {
  if (!validate(doc)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    throw new Error(`Invalid ${what}: ${errors}`);
  }
}

/** Throws with every schema violation listed when `doc` is not a valid score document. */
export function assertScoreDocument(doc: unknown): asserts doc is ScoreDocument {
  check((score ??= compile<ScoreDocument>("score.schema.json")), doc, "score document");
}

export function assertSummaryDocument(doc: unknown): asserts doc is SummaryDocument {
  check((summary ??= compile<SummaryDocument>("summary.schema.json")), doc, "summary document");
}
