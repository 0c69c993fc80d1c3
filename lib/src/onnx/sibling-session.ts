import type { InferenceSession } from "onnxruntime-node";

type SessionClass = { create(bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };

/**
 * onnxruntime's options for every session the library makes: by default onnxruntime's own (a thread per core);
 * $COURSEWARE_ORT_THREADS=n caps each session at n threads of its own. The grader sets 1 in its sandboxes, which
 * run one per core: more threads per session only spin, and make each session slower to create (about half of the
 * ~0.1 s a session of the lesson's model takes to create is its thread pool's).
 */
export function sessionOptions(): InferenceSession.SessionOptions {
  const threads = Number(process.env["COURSEWARE_ORT_THREADS"]);
  return Number.isInteger(threads) && threads >= 1 && threads <= 256 ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
}

/** A new CPU session for `bytes`, made by the same onnxruntime copy that created `session` (transformers.js's). */
export function createSiblingSession(session: InferenceSession, bytes: Uint8Array): Promise<InferenceSession> {
  return (session.constructor as unknown as SessionClass).create(bytes, { executionProviders: ["cpu"], ...sessionOptions() });
}
