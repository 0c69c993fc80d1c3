// Connecting to the Redis server the queue lives on (BullMQ over ioredis).
import type { ConnectionOptions } from "bullmq";
import { GraderEnvironmentError, UsageError } from "../errors.js";

/** BullMQ's workers need `maxRetriesPerRequest: null`: a command waits for Redis to come back instead of failing. */
export function connectionFor(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--queue takes a Redis URL such as redis://127.0.0.1:6379, not "${url}".`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new UsageError(`--queue takes a redis:// or rediss:// URL, not "${url}".`);
  return { url, maxRetriesPerRequest: null };
}

/** The URL without its password, to print. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

/** Waits for a BullMQ object's connection, failing with one clear message instead of retrying for ever. */
export async function ready(what: { waitUntilReady(): Promise<unknown> }, url: string, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GraderEnvironmentError(`Cannot reach Redis at ${shownUrl(url)} (waited ${timeoutMs / 1000} s). Is redis-server running there and reachable from this machine?`)), timeoutMs);
  });
  try {
    await Promise.race([what.waitUntilReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Says once that the connection was lost, after it had been made (before that, `ready` says it once); returns the
 * function that marks it made. The listener is there from the start: an EventEmitter's unheard "error" throws.
 */
export function reportConnection(emitter: { on(event: "error", fn: (e: Error) => void): unknown }, url: string, say: (line: string) => void): () => void {
  let connected = false;
  let down = false;
  emitter.on("error", (e) => {
    if (!connected || down) return;
    down = true;
    say(`Lost the connection to Redis at ${shownUrl(url)} (${e.message}); retrying. Jobs in flight are kept and resumed.`);
    setTimeout(() => (down = false), 30_000).unref();
  });
  return () => void (connected = true);
}
