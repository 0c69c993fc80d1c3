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
/** The ordinary runs of a request before its packed graph is built: a set of hooks run once is not worth one. */
const PACK_AFTER_RUNS = 2;

/** A request's packed fetch: one graph that outputs the shapes, one that does not, for inputs of shapes seen before. */
interface Packed {
  packing: Packing;
  withShapes: { fetch: string[]; session: Promise<InferenceSession>; ready?: InferenceSession };
  shapeless?: { fetch: string[]; session: Promise<InferenceSession>; ready?: InferenceSession };
  /** The values' dims by the feeds' dims. */
  dims: Map<string, number[][]>;
}

/** The values one set of hooks needs, with what was learnt about fetching them; made once per set of names. */
export interface BoundaryRequest {
  /** Boundary values that are neither graph inputs nor the model's own outputs. */
  names: string[];
  /** The model's outputs and the names, for the ordinary fetch. */
  fetch: string[];
  /** undefined: not tried yet; null: fetched one by one. */
  packed?: Packed | null;
  /** Its short runs so far, fetched one by one. */
  ordinaryRuns: number;
}

const MAX_SHAPES = 256;
const ready = async (s: { session: Promise<InferenceSession>; ready?: InferenceSession }) => (s.ready ??= (await s.session.catch(() => null)) ?? undefined);

export class BoundaryValues {
  private everySession: Promise<InferenceSession> | null = null;
  private readonly graphInputs: Set<string>;
  private readonly requests = new Map<string, BoundaryRequest>();

  constructor(
    private readonly session: InferenceSession,
    private readonly proto: ModelProto,
    /** Every boundary value any hook may need. */
    private readonly boundary: string[],
  ) {
    this.graphInputs = new Set((proto.graph!.input ?? []).map((v) => v.name!));
  }

  /** The request for these values; the same names get the same request, so what it learnt is kept across hook sets. */
  request(values: Iterable<string>): BoundaryRequest {
    const base = this.session.outputNames;
    const names = [...new Set(values)].filter((n) => !this.graphInputs.has(n) && !base.includes(n));
    const key = names.join("\n");
    let r = this.requests.get(key);
    if (!r) this.requests.set(key, (r = { names, fetch: [...base, ...names], ordinaryRuns: 0, ...(names.length < PACK_MIN_VALUES ? { packed: null } : {}) }));
    return r;
  }

  /** The model's outputs and the request's values. */
  async run(feeds: Record<string, unknown>, request: BoundaryRequest): Promise<Results> {
    const dims = (feeds.input_ids as { dims?: readonly number[] } | undefined)?.dims;
    const short = dims !== undefined && dims.reduce((a, b) => a * b, 1) <= PACK_MAX_TOKENS;
    const packed = short ? request.packed : null;
    if (packed) {
      const signature = Object.values(feeds).map((f) => (f as { dims: readonly number[] }).dims.join(",")).join(";");
      const known = packed.dims.get(signature);
      const shapeless = known && packed.shapeless ? await ready(packed.shapeless) : undefined;
      const graph = shapeless ? packed.shapeless! : packed.withShapes;
      const session = shapeless ?? (await ready(packed.withShapes)); // one that fails to build falls back
      if (session) {
        const results = (await session.run(feeds as never, graph.fetch)) as unknown as Results;
        const { values, dims: seen } = unpack(results, packed.packing, shapeless ? known : undefined);
        for (const n of this.session.outputNames) values[n] = results[n]!;
        if (!known) {
          if (packed.dims.size >= MAX_SHAPES) packed.dims.clear();
          packed.dims.set(signature, seen);
          packed.shapeless ??= this.packedGraph(packed.packing, false);
        }
        return values;
      }
    }
    const results = (await (await this.every()).run(feeds as never, request.fetch)) as unknown as Results;
    if (short && request.packed === undefined && ++request.ordinaryRuns >= PACK_AFTER_RUNS) this.preparePacking(request, results);
    return results;
  }

  private every(): Promise<InferenceSession> {
    if (!this.everySession) {
      this.everySession = createSiblingSession(this.session, withExtraOutputs(this.proto, this.boundary));
      this.everySession.catch(() => (this.everySession = null));
    }
    return this.everySession;
  }

  private packedGraph(packing: Packing, shapes: boolean): Packed["withShapes"] {
    const session = createSiblingSession(this.session, withPackedOutputs(this.proto, packing, shapes));
    session.catch(() => undefined); // a graph that cannot be built keeps the ordinary fetch (see ready)
    return { fetch: [...this.session.outputNames, ...packedOutputs(packing, shapes)], session };
  }

  private preparePacking(request: BoundaryRequest, results: Results): void {
    const packing = packingOf(request.names, results);
    request.packed = packing ? { packing, withShapes: this.packedGraph(packing, true), dims: new Map() } : null;
  }
}
