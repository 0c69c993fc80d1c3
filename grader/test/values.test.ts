// Values cross from a sandbox (or the reference process) as data only, and come back as the kernel had them: a
// tensor as a transformers.js Tensor with its exact bytes, dtype and dims, also inside arrays and objects.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tensor } from "@courseware/lib";
import { Answers } from "../src/grade/answers.js";
import { decodeValue } from "../src/grade/decode-value.js";
import { encodeValue } from "../src/grade/values.js";

test("tensors cross as exact bytes with their dtype and dims, and arrive as Tensors", () => {
  const data = Float32Array.from([0.1, -2.5, 1e-8, 3.3333333]);
  const back = decodeValue(encodeValue(new Tensor("float32", data, [2, 2]))) as Tensor;
  assert.ok(back instanceof Tensor);
  assert.is(back.type, "float32");
  assert.equal(back.dims, [2, 2]);
  assert.equal(Array.from(back.data as Float32Array), Array.from(data));
});

test("int64 tensors, typed arrays and plain JSON values survive the trip", () => {
  const ids = decodeValue(encodeValue({ type: "int64", dims: [3], data: BigInt64Array.from([1n, 2n, 3n]) })) as Tensor;
  assert.equal(Array.from(ids.data as BigInt64Array), [1n, 2n, 3n]);
  const typed = decodeValue(encodeValue(Int32Array.from([4, 5])));
  assert.ok(typed instanceof Int32Array);
  assert.equal(decodeValue(encodeValue([[1, 0.5], [0.5, 1]])), [[1, 0.5], [0.5, 1]]);
  assert.is(decodeValue(encodeValue("text")), "text");
});

test("arrays and objects that hold tensors cross as a structure", () => {
  const t = new Tensor("float32", Float32Array.from([1, 2]), [1, 2]);
  const encoded = encodeValue({ logits: t, rows: [t, 3], name: "x" });
  assert.is(encoded.kind, "object");
  const back = decodeValue(encoded) as { logits: Tensor; rows: [Tensor, number]; name: string };
  assert.ok(back.logits instanceof Tensor && back.rows[0] instanceof Tensor);
  assert.equal([back.rows[1], back.name], [3, "x"]);
});

test("a value the grader cannot carry is described, and reading it explains why", () => {
  const e = encodeValue(() => 1);
  assert.is(e.kind, "unsupported");
  assert.throws(() => decodeValue(e), /cannot read/);
  // strict (reference values): what JSON would drop silently cannot cross either
  const strict = encodeValue({ f: () => 1, n: 1 }, 0, true);
  assert.is(strict.kind, "object");
});

test("answers: a missing value throws what the student should be told", () => {
  const answers = new Answers(new Map([["m", [[1, 2]]]]), new Map([["p", "`p` has no value"]]));
  assert.equal(answers.get("m"), [[1, 2]]);
  assert.throws(() => answers.get("p"), /`p` has no value/);
  assert.throws(() => answers.get("q"), /`q` is not defined/);
  assert.is(answers.value("p"), undefined);
});

test.run();
