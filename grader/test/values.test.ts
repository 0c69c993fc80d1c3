import { test } from "uvu";
import * as assert from "uvu/assert";
import { Answers, asNumericTensor } from "../src/grade/answers.js";
import { decodeValue, encodeValue } from "../src/grade/values.js";

test("tensors cross as exact bytes with their dtype and dims", () => {
  const data = Float32Array.from([0.1, -2.5, 1e-8, 3.3333333]);
  const back = decodeValue(encodeValue({ type: "float32", dims: [2, 2], data })) as { dtype: string; dims: number[]; data: Float32Array };
  assert.is(back.dtype, "float32");
  assert.equal(back.dims, [2, 2]);
  assert.equal(Array.from(back.data), Array.from(data));
});

test("int64 tensors and plain JSON values survive the trip", () => {
  const ids = decodeValue(encodeValue({ type: "int64", dims: [3], data: BigInt64Array.from([1n, 2n, 3n]) })) as { data: BigInt64Array };
  assert.equal(Array.from(ids.data), [1n, 2n, 3n]);
  assert.equal(decodeValue(encodeValue([[1, 0.5], [0.5, 1]])), [[1, 0.5], [0.5, 1]]);
  assert.is(decodeValue(encodeValue("text")), "text");
});

test("a value the grader cannot carry is described, and reading it explains why", () => {
  const e = encodeValue(() => 1);
  assert.is(e.kind, "unsupported");
  assert.throws(() => decodeValue(e), /cannot read/);
});

test("answers.tensor accepts tensors and nested arrays, rejects ragged ones", () => {
  assert.equal(asNumericTensor([[1, 2], [3, 4]]), { dims: [2, 2], data: [1, 2, 3, 4] });
  assert.is(asNumericTensor([[1, 2], [3]]), null);
  const answers = new Answers(new Map([["m", [[1, 2]]]]), new Map([["p", "`p` has no value"]]));
  assert.equal(answers.tensor("m").dims, [1, 2]);
  assert.throws(() => answers.tensor("p"), /`p` has no value/);
  assert.throws(() => answers.get("q"), /`q` is not defined/);
});

test.run();
