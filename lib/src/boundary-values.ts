// Runs the model for the hooks: its own outputs plus the module-boundary values the registered hooks need. A copy
// of the graph that outputs every boundary value serves any set of names; for a short input, where onnxruntime's
// fixed cost per output outweighs copying, the names of a hook set are fetched packed (onnx/packed-outputs.ts)
// once one ordinary run has shown their types and ranks.
import type { InferenceSession } from "onnxruntime-node";
import { type ModelProto, withExtraOutputs } from "./onnx/graph-io.js";
import { type Packing, type RawTensor, packedOutputs, packingOf, unpack, withPackedOutputs } from "./onnx/packed-outputs.js";
import { createSiblingSession } from "./onnx/sibling-session.js";

type Results = Record<string, RawTensor>;

/** Packing pays off for few tokens and many values; measured with scripts/bench-hooks.mjs (lib/README.md). */
const PACK_MAX_TOKENS = 16;
const PACK_MIN_VALUES = 8;

export class BoundaryValues {
  private everySession: Promise<InferenceSession> | null = null;
  private readonly packed = new Map<string, { packing: Packing; session: Promise<InferenceSession> } | null>();

  constructor(
    private readonly session: InferenceSession,
    private readonly proto: ModelProto,
    /** Every boundary value any hook may need. */
    private readonly boundary: string[],
  ) {}

  /** The model's outputs and the values `names` (none of them a graph input). */
  async run(feeds: Record<string, unknown>, names: string[]): Promise<Results> {
    const base = this.session.outputNames;
    const tokens = (feeds.input_ids as { dims?: readonly number[] } | undefined)?.dims?.reduce((a, b) => a * b, 1) ?? Infinity;
    const key = names.join("\n");
    const packed = tokens <= PACK_MAX_TOKENS && names.length >= PACK_MIN_VALUES ? this.packed.get(key) : null;
    const packedSession = packed ? await packed.session.catch(() => null) : null; // one that fails to build falls back
    if (packed && packedSession) {
      const results = (await packedSession.run(feeds as never, [...base, ...packedOutputs(packed.packing)])) as unknown as Results;
      return { ...unpack(results, packed.packing), ...Object.fromEntries(base.map((n) => [n, results[n]!])) };
    }
    const results = (await (await this.every()).run(feeds as never, [...new Set([...base, ...names])])) as unknown as Results;
    if (packed === undefined && tokens <= PACK_MAX_TOKENS && names.length >= PACK_MIN_VALUES) this.preparePacking(key, names, results);
    return results;
  }

  private every(): Promise<InferenceSession> {
    if (!this.everySession) {
      this.everySession = createSiblingSession(this.session, withExtraOutputs(this.proto, this.boundary));
      this.everySession.catch(() => (this.everySession = null));
    }
    return this.everySession;
  }

  private preparePacking(key: string, names: string[], results: Results): void {
    const packing = packingOf(names, results);
    if (!packing) return void this.packed.set(key, null);
    const session = createSiblingSession(this.session, withPackedOutputs(this.proto, packing));
    session.catch(() => this.packed.set(key, null)); // a graph that cannot be packed keeps the ordinary fetch
    this.packed.set(key, { packing, session });
  }
}
