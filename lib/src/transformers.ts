// The library's one way to transformers.js at run time: its CommonJS build, the copy a notebook's own
// `import ... from "@huggingface/transformers"` gets in tslab (which runs cells as CommonJS), so that a notebook
// and the library share one Tensor class.
// transformers.js loads sharp (libvips, for its image pipelines) as it starts: about 90 ms of every notebook's
// start (`node -e 'require("sharp")'`), a tenth of grading one, for images no lesson uses. Before transformers.js
// is loaded, a stand-in for sharp goes into Node's module cache; it loads the real sharp the first time anything
// calls it or reads from it. Where sharp is missing, or was loaded before, nothing changes.
import Module, { createRequire } from "node:module";
import type * as T from "@huggingface/transformers";

const require = createRequire(import.meta.url);

function deferSharp(): void {
  let entry: string;
  try {
    entry = createRequire(require.resolve("@huggingface/transformers")).resolve("sharp"); // as transformers.js finds it
  } catch {
    return;
  }
  if (require.cache[entry]) return;
  const stand = new Module(entry);
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[entry];
      real = require(entry) as object;
      stand.exports = real; // a later require of sharp gets the real module
      require.cache[entry] = stand;
    }
    return real;
  };
  // module interop helpers read these of a CommonJS module's exports, and list its own keys (left to the
  // stand-in's own function, so that listing them loads nothing either)
  const interop = new Set<PropertyKey>(["__esModule", "then"]);
  stand.filename = entry;
  stand.loaded = true;
  stand.exports = new Proxy(function sharp() {}, {
    apply: (_t, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
    construct: (_t, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
    get: (_t, key) => (!real && interop.has(key) ? undefined : Reflect.get(load(), key)),
    has: (_t, key) => (!real && interop.has(key) ? false : Reflect.has(load(), key)),
  });
  require.cache[entry] = stand;
}

deferSharp();
const transformers = require("@huggingface/transformers") as typeof T;

export const AutoModelForCausalLM: typeof T.AutoModelForCausalLM = transformers.AutoModelForCausalLM;
export const AutoTokenizer: typeof T.AutoTokenizer = transformers.AutoTokenizer;
export const env: typeof T.env = transformers.env;
export const Tensor: typeof T.Tensor = transformers.Tensor;
export type Tensor = T.Tensor;
