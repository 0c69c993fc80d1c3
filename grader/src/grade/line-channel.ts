// One JSON message per line over a pipe, read with blocking reads: used by the processes the grader starts
// (the sandbox and the compile server), which handle one request at a time.
import { readSync, writeSync } from "node:fs";

/** Writes all of `text` to `fd`, retrying while a non-blocking pipe is full. */
export function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}

/** A reader of JSON lines from `fd`; `null` once the other side has closed it. */
export function lineReader<T>(fd: number, parse: (line: string) => unknown = JSON.parse): () => T | null {
  let pending = Buffer.alloc(0);
  const chunk = Buffer.alloc(1 << 16);
  return () => {
    for (;;) {
      const nl = pending.indexOf(10);
      if (nl >= 0) {
        const line = pending.subarray(0, nl).toString();
        pending = pending.subarray(nl + 1);
        return parse(line) as T;
      }
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
        return null;
      }
      if (n === 0) return null;
      pending = Buffer.concat([pending, chunk.subarray(0, n)]);
    }
  };
}
