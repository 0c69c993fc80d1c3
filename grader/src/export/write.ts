import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ExportFile } from "./common.js";

/** Writes export files under `outDir`; returns the paths written. */
export async function writeExportFiles(outDir: string, files: ExportFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const path = join(outDir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content, "utf8");
    if (f.mode !== undefined) await chmod(path, f.mode);
    written.push(path);
  }
  return written;
}
