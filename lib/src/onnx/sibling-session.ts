import type { InferenceSession } from "onnxruntime-node";

type SessionClass = { create(bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };

/** A new CPU session for `bytes`, made by the same onnxruntime copy that created `session` (transformers.js's). */
export function createSiblingSession(session: InferenceSession, bytes: Uint8Array): Promise<InferenceSession> {
  return (session.constructor as unknown as SessionClass).create(bytes, { executionProviders: ["cpu"] });
}
