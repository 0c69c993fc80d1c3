// The grader's side of values.ts: encoded data back into the values the kernel had. A tensor becomes a
// transformers.js Tensor, the one tensor type tests see (as in the student's and the instructor's kernels); typed
// arrays, JSON values, and arrays or plain objects of them come back as they were. Kept apart from values.ts, which
// the sandbox loads, so that the sandbox does not load transformers.js before the notebook does.
import { Tensor } from "@courseware/lib";
import { type EncodedValue, fromBase64 } from "./values.js";

export function decodeValue(e: EncodedValue): unknown {
  switch (e.kind) {
    case "tensor":
      return new Tensor(e.dtype as never, fromBase64(e.dtype, e.data) as never, e.dims);
    case "typed-array":
      return fromBase64(e.dtype, e.data);
    case "json":
      return e.value;
    case "array":
      return e.items.map(decodeValue);
    case "object":
      return Object.fromEntries(Object.entries(e.entries).map(([k, x]) => [k, decodeValue(x)]));
    case "unsupported":
      throw new Error(`a value of type ${e.description} that the grader cannot read`);
  }
}
