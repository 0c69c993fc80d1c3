import { readFileSync } from "node:fs";

/** The grader's package version, recorded in every score document. */
export const GRADER_VERSION: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
