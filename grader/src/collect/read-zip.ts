// Reads a submissions archive without trusting it: every entry name is checked before anything is written
// (no absolute paths, no "..", no links), sizes are checked against the limit before and while inflating, and
// only files are extracted, each under a fresh folder.
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Buffer } from "node:buffer";
import { Transform } from "node:stream";
import yauzl from "yauzl";

export interface ZipEntryResult {
  /** The name inside the archive ("/" separators). */
  name: string;
  /** Where it was extracted; absent when it was refused. */
  file?: string;
  /** Why it was refused. */
  problem?: string;
  modified: Date;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, decodeStrings: false }, (e, zip) => (e ? reject(e) : resolve(zip!))),
  );
}

function unsafeName(name: string): string | null {
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name) || name.includes("\\")) return "an absolute or Windows path";
  if (name.split("/").some((part) => part === "..")) return 'a path that climbs out of the archive ("..")';
  if (name.includes("\0")) return "a name with a NUL byte";
  return null;
}

/** Extracts the entries `wanted(name)` selects into `outDir`; refuses unsafe and oversized ones with a reason. */
export async function extractZip(path: string, outDir: string, maxBytes: number, wanted: (name: string) => boolean): Promise<ZipEntryResult[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (e) {
    throw new Error(`${path} is not a readable zip archive: ${(e as Error).message}`);
  }
  const results: ZipEntryResult[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", resolve);
    zip.on("entry", (entry: yauzl.Entry) => {
      // names stay raw (decodeStrings: false) so that an unsafe one is refused alone, not the whole archive
      const raw = entry.fileName as unknown as Buffer | string;
      const name = typeof raw === "string" ? raw : raw.toString("utf8");
      const modified = entry.getLastModDate();
      const isLink = ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
      const next = () => zip.readEntry();
      if (name.endsWith("/") || !wanted(name)) return next();
      const unsafe = unsafeName(name) ?? (isLink ? "a symbolic link" : null);
      if (unsafe) {
        results.push({ name, modified, problem: `The archive entry "${name}" is ${unsafe}; it was not extracted.` });
        return next();
      }
      if (entry.uncompressedSize > maxBytes) {
        results.push({ name, modified, problem: `The archive entry "${name}" is ${(entry.uncompressedSize / 1e6).toFixed(1)} MB, over the ${maxBytes / 1e6} MB limit.` });
        return next();
      }
      const file = join(outDir, String(results.length), name.split("/").pop()!);
      zip.openReadStream(entry, (e, stream) => {
        if (e || !stream) return reject(e ?? new Error(`cannot read ${name}`));
        let seen = 0;
        const limit = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            seen += chunk.length;
            cb(seen > maxBytes ? new Error(`"${name}" inflates past the ${maxBytes / 1e6} MB limit`) : null, chunk);
          },
        });
        mkdir(dirname(file), { recursive: true })
          .then(() => pipeline(stream, limit, createWriteStream(file)))
          .then(
            () => results.push({ name, modified, file }),
            (err: Error) => results.push({ name, modified, problem: `The archive entry "${name}" could not be extracted: ${err.message}.` }),
          )
          .then(next, reject);
      });
    });
    zip.readEntry();
  });
  return results;
}
