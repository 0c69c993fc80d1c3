// The charts (heatmap, topK, plotFunctions) are made in two steps: first the checks of the arguments, the Vega-Lite
// spec and the text form, at once, as the function is called (every mistake in a notebook's arguments throws here);
// then vega draws the SVG. Where a notebook's displays are thrown away unseen (the grader's sandbox tells so through
// its display channel, see figure.ts), `show(chart)` skips the drawing, which costs more than the rest of a lesson's
// charts together (vega's import alone is ~0.2 s). Anything that looks at the chart itself (`await`, `then`,
// `Promise.all`) gets it drawn, exactly as before; a chart whose drawing could log or throw (a title that is not
// text, a colour scheme not known to be vega's) is always drawn at once, so its messages are the same everywhere.
import type { TopLevelSpec } from "vega-lite";
import { displaysDiscarded, emit, Figure } from "./figure.js";
import { vegaLiteToSvg } from "./vega.js";

export interface ChartParts {
  spec: TopLevelSpec;
  /** The figure once the SVG is drawn. */
  figure(svg: string): Figure;
  /** The text form, all a discarded display needs. */
  text: string;
  /** Whether vega can draw `spec` without a message (false: it is drawn at once, whatever the setting). */
  quiet: boolean;
}

/** vega's colour schemes that charts may name and still be drawn lazily (checked against vega by the tests). */
export const QUIET_SCHEMES: readonly string[] = ["viridis", "magma", "inferno", "plasma", "blues", "greens", "greys", "oranges", "purples", "reds", "blueorange", "redblue", "redyellowblue", "spectral"];

/** Whether a chart option is plain text or absent: anything else goes to vega as it is and might make it complain. */
export const textOrAbsent = (v: unknown) => v === undefined || typeof v === "string";

/**
 * The promise a chart function returns: a real Promise of the Figure, drawn on first use. Its `then` (which
 * `await` and every Promise helper call) starts the drawing; an error in the arguments rejects it at once, as an
 * async function's promise would.
 */
export class PendingChart extends Promise<Figure> {
  // then/catch/finally make plain promises
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #parts: Promise<ChartParts>;
  #resolve!: (f: Figure) => void;
  #reject!: (e: unknown) => void;
  #drawing = false;

  constructor(make: () => ChartParts) {
    let resolve!: (f: Figure) => void, reject!: (e: unknown) => void;
    super((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#resolve = resolve;
    this.#reject = reject;
    let parts: ChartParts;
    try {
      parts = make(); // now, as the body of an async function would run until its first await
    } catch (e) {
      this.#parts = Promise.reject(e);
      this.#parts.catch(() => undefined);
      reject(e);
      return;
    }
    this.#parts = Promise.resolve(parts);
    if (!parts.quiet || !displaysDiscarded()) this.#draw();
  }

  override then<A = Figure, B = never>(onFulfilled?: ((f: Figure) => A | PromiseLike<A>) | null, onRejected?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.#draw();
    return super.then(onFulfilled, onRejected);
  }

  #draw(): void {
    if (this.#drawing) return;
    this.#drawing = true;
    this.#parts.then((p) => vegaLiteToSvg(p.spec).then((svg) => this.#resolve(p.figure(svg))), () => undefined).catch((e: unknown) => this.#reject(e));
  }

  /**
   * show(): where displays are discarded and the chart has not been drawn yet, its text is emitted without drawing
   * it; otherwise the drawn figure, as for any promise. Rejects with the chart's own error.
   */
  show(): Promise<void> {
    if (!this.#drawing && displaysDiscarded()) {
      super.then(undefined, () => undefined); // show() handles the chart's rejection, as before
      return this.#parts.then((p) => emit(new Figure({ "text/plain": p.text })));
    }
    return this.then((f) => emit(f));
  }
}
