import { test } from "uvu";
import * as assert from "uvu/assert";
import { similarPairs, type Answer, type SimilarPair } from "../src/report/similarity/similar-pairs.js";
import { codeTokens, textTokens } from "../src/report/similarity/tokens.js";
import { kgramHashes, winnow } from "../src/report/similarity/winnow.js";

/** mulberry32: a small seeded PRNG, so every run generates the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const texts = (source: string) => codeTokens(source).map((t) => t.text);

test("codeTokens: trivia gone, names normalised but member names kept, offsets point into the source", () => {
  const source = "// a comment\nconst  total = Math.exp(x) /* inline */ + row.dims;\n";
  assert.equal(texts(source), ["const", "$", "=", "$", ".", "exp", "(", "$", ")", "+", "$", ".", "dims", ";"]);
  assert.equal(texts("a?.b.c"), ["$", "?.", "b", ".", "c"]);
  assert.equal(texts("this.#count = #count in o"), ["this", ".", "$", "=", "$", "in", "$"]);
  for (const t of codeTokens(source)) {
    const original = source.slice(t.start, t.end);
    assert.ok(t.text === original || (t.text === "$" && /^[A-Za-z_]\w*$/.test(original)), `${t.text} at ${t.start}: ${original}`);
  }
  const tricky = "const s = `a${x}b${y}c`; let r = /a+/g; f('q', 1.0);";
  assert.equal(
    codeTokens(tricky).map((t) => tricky.slice(t.start, t.end)),
    ["const", "s", "=", "`a${", "x", "}b${", "y", "}c`", ";", "let", "r", "=", "/a+/g", ";", "f", "(", "'q'", ",", "1.0", ")", ";"],
  );
});

test("codeTokens: renaming, reformatting, quote style and 1.0 vs 1 do not matter", () => {
  assert.equal(texts("let total = 1.0;"), texts("let   s=1 ;"));
  assert.equal(texts("f('a', `a`)"), texts('g("a", "a")'));
  assert.equal(texts("x = 0x10 + 1_000"), texts("y = 16 + 1000"));
  assert.not.equal(texts("f('a')"), texts("f('b')"));
  assert.not.equal(texts("f('for')"), texts("f(for)"));
});

test("codeTokens: a variable named like a contextual keyword (out, type, of, number) is renamed like any other", () => {
  // TypeScript's scanner gives `out` (variance annotations), `type`, `of`, `number`… their own kinds; as names they
  // must normalise as names, or a copy that renames `out` to `res` would look like other code.
  assert.equal(texts("const out: number[] = []; out.push(type / 2);"), texts("const res: T[] = []; res.push(k / 2);"));
  assert.equal(texts("for (const x of xs) y = x.type;"), ["for", "(", "const", "$", "$", "$", ")", "$", "=", "$", ".", "type", ";"]);
  assert.not.equal(texts("out = 1"), texts("for = 1"), "reserved words stay themselves");
});

test("codeTokens: template literals, nested braces and regular expressions", () => {
  assert.equal(texts("const s = `a${x}b${y}c`; f(s);"), ["const", "$", "=", "`a${", "$", "}b${", "$", "}c`", ";", "$", "(", "$", ")", ";"]);
  assert.equal(texts("`a${ {k: 1}.k }b${`n${z}`}c`; g()"), [
    "`a${", "{", "$", ":", "1", "}", ".", "k", "}b${", "`n${", "$", "}`", "}c`", ";", "$", "(", ")",
  ]);
  assert.equal(texts("r = /a+/g;"), ["$", "=", "/a+/g", ";"]);
  assert.equal(texts("q = a / b / c;"), ["$", "=", "$", "/", "$", "/", "$", ";"]);
  assert.equal(texts("q = (a) / 2 /= x.length / 3"), ["$", "=", "(", "$", ")", "/", "2", "/=", "$", ".", "length", "/", "3"]);
  assert.equal(texts("ok = [/[/]x/i.test(s)]"), ["$", "=", "[", "/[/]x/i", ".", "test", "(", "$", ")", "]"]);
});

test("codeTokens: never throws, whatever the input", () => {
  const garbage = [
    "", "'unterminated", "`a${", "`a${b", "}}}} ${ `", "/", "/* never closed", "<div class='x'>{y}</div>",
    "@@@ \u0000 \uffff #! ### 0x 1e 9n'", "\\u{zz} \\", "`${`${`${", "a\n/b/g", "x = '\n'",
  ];
  for (const source of garbage) {
    const tokens = codeTokens(source);
    for (const t of tokens) assert.ok(t.start >= 0 && t.start < t.end && t.end <= source.length, JSON.stringify(source));
  }
  const random = prng(7);
  const alphabet = "ab1 ${}()[]/`'\"\\.\n*#<>=+-?";
  for (let n = 0; n < 300; n++) {
    let s = "";
    for (let i = 0; i < 40; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    codeTokens(s);
  }
});

test("textTokens: lower-cased words, punctuation and Markdown gone", () => {
  const text = "**Softmax** turns _logits_ into `probabilities`; e.g. [link](x). Ça marche, 2 fois!";
  assert.equal(
    textTokens(text).map((t) => t.text),
    ["softmax", "turns", "logits", "into", "probabilities", "e", "g", "link", "x", "ça", "marche", "2", "fois"],
  );
  for (const t of textTokens(text)) assert.is(text.slice(t.start, t.end).toLowerCase(), t.text);
});

test("kgramHashes: one per k-gram, token boundaries matter, no collisions among real k-grams", () => {
  assert.equal(kgramHashes(["a", "b", "c"], 2).length, 2);
  assert.equal(kgramHashes(["a"], 2), []);
  assert.not.equal(kgramHashes(["ab", "c"], 2), kgramHashes(["a", "bc"], 2));
  assert.equal(kgramHashes(["x", "a", "b"], 2)[1], kgramHashes(["a", "b", "y"], 2)[0]);
  const corpus = [...INDEPENDENT, PLANTED].map(texts);
  const byHash = new Map<number, string>();
  for (const tokens of corpus) {
    const hashes = kgramHashes(tokens, 8);
    hashes.forEach((hash, i) => {
      const gram = tokens.slice(i, i + 8).join("\u0001");
      const seen = byHash.get(hash);
      assert.ok(seen === undefined || seen === gram, `collision: ${seen} / ${gram}`);
      byHash.set(hash, gram);
    });
  }
  assert.ok(byHash.size > 300);
});

test("winnow: every window's minimum is selected, positions increase, fingerprints are a subset of the hashes", () => {
  const random = prng(1);
  for (let round = 0; round < 50; round++) {
    const w = 1 + Math.floor(random() * 6);
    const hashes = Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 8)); // many ties
    const prints = winnow(hashes, w);
    for (const f of prints) assert.is(hashes[f.position], f.hash);
    for (let i = 1; i < prints.length; i++) assert.ok(prints[i]!.position > prints[i - 1]!.position);
    const width = Math.min(w, hashes.length);
    for (let start = 0; width > 0 && start + width <= hashes.length; start++) {
      const window = hashes.slice(start, start + width);
      const minimum = Math.min(...window);
      assert.ok(prints.some((f) => f.hash === minimum && f.position >= start && f.position < start + width), `window ${start}`);
    }
    if (hashes.length === 0) assert.equal(prints, []);
  }
  assert.equal(winnow([5, 3, 9], 4), [{ hash: 3, position: 1 }]);
  // Robust winnowing: a run of equal hashes keeps its first selection instead of one per window.
  assert.equal(winnow([2, 2, 2, 2, 2, 2], 3), [{ hash: 2, position: 2 }, { hash: 2, position: 5 }]);
});

test("winnow guarantee: a shared run of w + k - 1 tokens always gives a shared fingerprint", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const random = prng(seed);
    const k = 2 + Math.floor(random() * 8);
    const w = 1 + Math.floor(random() * 6);
    const word = () => "t" + Math.floor(random() * 50);
    const run = Array.from({ length: w + k - 1 }, word);
    const doc = () => [...Array.from({ length: Math.floor(random() * 30) }, word), ...run, ...Array.from({ length: Math.floor(random() * 30) }, word)];
    const [a, b] = [doc(), doc()].map((d) => new Set(winnow(kgramHashes(d, k), w).map((f) => f.hash)));
    assert.ok([...a!].some((h) => b!.has(h)), `seed ${seed}, k ${k}, w ${w}`);
  }
});

// Seven answers to: "let p: number[][]; set p to the row-wise softmax of logits (number[][])".
const GIVEN = "let p: number[][];\n// YOUR CODE HERE\n";
const DECL = "let p: number[][];\n";

const INDEPENDENT = [
  // nested index loops, explicit max
  `${DECL}p = [];
for (let i = 0; i < logits.length; i++) {
  const row = logits[i];
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) {
    if (row[j] > max) max = row[j];
  }
  const exps: number[] = [];
  let sum = 0;
  for (let j = 0; j < row.length; j++) {
    const e = Math.exp(row[j] - max);
    exps.push(e);
    sum += e;
  }
  p.push(exps.map((e) => e / sum));
}
`,
  // map / reduce in one expression
  `${DECL}p = logits.map((row) => {
  const m = Math.max(...row);
  const exps = row.map((x) => Math.exp(x - m));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((x) => x / total);
});
`,
  // helper function, no max subtraction
  `${DECL}function softmaxRow(values: number[]): number[] {
  let denom = 0;
  for (const v of values) denom += Math.exp(v);
  return values.map(v => Math.exp(v) / denom);
}
p = logits.map(softmaxRow);
`,
  // while loop over rows, preallocated output arrays
  `${DECL}const rows = logits.length;
p = new Array(rows);
let r = 0;
while (r < rows) {
  const cols = logits[r].length;
  const out = new Array<number>(cols).fill(0);
  let biggest = logits[r][0];
  for (let c = 1; c < cols; c++) biggest = Math.max(biggest, logits[r][c]);
  let s = 0;
  for (let c = 0; c < cols; c++) {
    out[c] = Math.exp(logits[r][c] - biggest);
    s += out[c];
  }
  for (let c = 0; c < cols; c++) out[c] /= s;
  p[r] = out;
  r++;
}
`,
  // for...of with a reduce for the maximum
  `${DECL}p = [];
for (const logitRow of logits) {
  const peak = logitRow.reduce((a, b) => (a > b ? a : b));
  const shifted = logitRow.map((z) => z - peak);
  let norm = 0;
  const ex = [];
  for (const z of shifted) {
    const e = Math.exp(z);
    ex.push(e);
    norm += e;
  }
  p.push(ex.map((e) => e / norm));
}
`,
  // small generic helpers composed
  `${DECL}const sum = (xs: number[]) => xs.reduce((acc, x) => acc + x, 0);
function softmax(xs: number[]): number[] {
  const shift = xs.reduce((m, x) => Math.max(m, x), xs[0] ?? 0);
  const weights = xs.map((x) => Math.exp(x - shift));
  const z = sum(weights);
  return weights.map((v) => v / z);
}
p = [];
for (const row of logits) p.push(softmax(row));
`,
];

// INDEPENDENT[0], every variable renamed, comments added, formatting changed.
const PLANTED = `let p: number[][];
// softmax of each row, subtracting the max for stability
p = []
  ;
for (let rowIdx = 0;
     rowIdx < logits.length;
     rowIdx++) {
    const current = logits[rowIdx];   // the row
    let best = -Infinity;
    /* find the largest logit */
    for (let k = 0; k < current.length; k++) { if (current[k] > best) best = current[k]; }
    const vals: number[] = [];
    let acc = 0;
    // exponentiate and accumulate
    for (let k = 0; k < current.length; k++) {
        const ev = Math.exp(current[k] - best);
        vals.push(ev);
        acc += ev;
    }
    p.push(vals.map((ev) => ev / acc));   // normalise
}
`;

const names = ["ana", "ben", "chloe", "dev", "emma", "farid"];
const softmaxAnswers: Answer[] = [
  ...INDEPENDENT.map((text, i) => ({ student: names[i]!, text })),
  { student: "gus", text: PLANTED },
];

test("the planted copy ranks first, ≥ 0.9; no two independent answers reach the default minScore", () => {
  const result = similarPairs(softmaxAnswers, { kind: "code", given: GIVEN });
  assert.is(result.compared, 7);
  assert.equal(result.tooShort, []);
  assert.ok(result.pairs.length >= 1);
  assert.equal(result.pairs[0]!.students, ["ana", "gus"]);
  assert.ok(result.pairs[0]!.score >= 0.9, `planted score ${result.pairs[0]!.score}`);
  assert.is(result.pairs.length, 1, JSON.stringify(result.pairs.map((p) => [p.students, p.score])));

  const all = similarPairs(softmaxAnswers, { kind: "code", given: GIVEN, minScore: 0 }).pairs;
  const independent = all.filter((p) => !p.students.includes("gus"));
  const max = Math.max(0, ...independent.map((p) => p.score));
  console.log(`  planted pair: ${result.pairs[0]!.score}; independent pairs: ${independent.length} scored > 0, max ${max}`);
  assert.ok(max < 0.5);
});

test("spans of the planted pair cover the copied statements, never the comments", () => {
  const pair = similarPairs(softmaxAnswers, { kind: "code", given: GIVEN }).pairs[0]!;
  const sides = [INDEPENDENT[0]!, PLANTED];
  pair.spans.forEach((spans, side) => {
    const text = sides[side]!;
    for (let i = 0; i < spans.length; i++) {
      const [start, end] = spans[i]!;
      assert.ok(start < end && (i === 0 || spans[i - 1]![1] < start), "sorted, merged, non-empty");
    }
    const covered = (from: number, to: number) => spans.some(([s, e]) => s <= from && to <= e);
    for (const comment of text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)) {
      const from = comment.index!;
      const to = from + comment[0].length;
      assert.ok(!spans.some(([s, e]) => s < to && from < e), `comment marked: ${comment[0]}`);
    }
    // Every token after the given declaration lies in a span.
    const body = codeTokens(text).filter((t) => t.start >= DECL.length);
    const uncovered = body.filter((t) => !covered(t.start, t.end)).map((t) => text.slice(t.start, t.end));
    assert.equal(uncovered, []);
    assert.ok(spans.some(([s, e]) => /Math\.exp\(\w+\[\w+\] - \w+\)/.test(text.slice(s, e))));
  });
});

test("the given template never counts: untouched cells and one-liners are too short, not pairs", () => {
  const answers: Answer[] = [
    { student: "u1", text: GIVEN },
    { student: "u2", text: GIVEN },
    { student: "o1", text: `${DECL}p = softmax(logits);\n` },
    { student: "o2", text: `${DECL}// done\np = softmax(logits);` },
    { student: "o3", text: `${DECL}p = logits.map((r) => softmax(r));\n` },
    { student: "o4", text: `${DECL}p = logits.map((row) => softmax(row)); // one line` },
    { student: "e", text: "" },
    ...softmaxAnswers.slice(0, 3),
  ];
  const result = similarPairs(answers, { kind: "code", given: GIVEN, minScore: 0 });
  assert.equal(result.tooShort, ["u1", "u2", "o1", "o2", "o3", "o4", "e"]);
  assert.is(result.compared, 3);
  for (const pair of result.pairs) for (const s of pair.students) assert.ok(["ana", "ben", "chloe"].includes(s));
});

test("a longer given template is subtracted: untouched copies are too short, its lines never marked", () => {
  const given = `const logits: number[][] = [[1, 2, 3], [0, 0, 0], [-1, 5, 2]];
let p: number[][];
function softmaxRow(row: number[]): number[] {
  // YOUR CODE HERE
  return [];
}
p = logits.map(softmaxRow);
console.log(p.map((r) => r.map((v) => v.toFixed(3)).join(" ")).join("\\n"));
`;
  const fill = (body: string) => given.replace("  // YOUR CODE HERE\n  return [];\n", body);
  const mine = fill("  const m = Math.max(...row);\n  const e = row.map((x) => Math.exp(x - m));\n  const s = e.reduce((a, b) => a + b, 0);\n  return e.map((x) => x / s);\n");
  const theirs = fill("  let total = 0;\n  const out: number[] = [];\n  for (const v of row) {\n    out.push(Math.exp(v));\n    total += Math.exp(v);\n  }\n  for (let i = 0; i < out.length; i++) out[i] /= total;\n  return out;\n");
  const answers: Answer[] = [
    { student: "u1", text: given },
    { student: "u2", text: given.replace("// YOUR CODE HERE", "// TODO") },
    { student: "a", text: mine },
    { student: "b", text: theirs },
    { student: "c", text: mine.replace(/\bm\b/g, "mx") },
  ];
  const result = similarPairs(answers, { kind: "code", given, minScore: 0 });
  assert.equal(result.tooShort, ["u1", "u2"]);
  const score = (x: string, y: string) => result.pairs.find((p) => p.students[0] === x && p.students[1] === y)?.score ?? 0;
  assert.ok(score("a", "b") < 0.5, `a/b ${score("a", "b")}`);
  assert.ok(score("a", "c") >= 0.9, `a/c ${score("a", "c")}`);
  const ac = result.pairs.find((p) => p.students[0] === "a" && p.students[1] === "c")!;
  const marked = ac.spans[0].map(([s, e]) => mine.slice(s, e)).join(" ");
  assert.ok(marked.includes("Math.exp(x - m)"));
  assert.not.ok(marked.includes("[-1, 5, 2]") || marked.includes("toFixed"), marked);
});

test("common code shared by the whole class does not make pairs", () => {
  const canonical = `const m = Math.max(...row);\nconst exps = row.map((x) => Math.exp(x - m));\nconst total = exps.reduce((a, b) => a + b, 0);\n`;
  const random = prng(3);
  const answers: Answer[] = Array.from({ length: 12 }, (_, i) => {
    let rest = "";
    for (let s = 0; s < 4; s++) {
      const n = Math.floor(random() * 1000);
      rest += [
        `if (total > ${n}) console.log("row ${i} is large: " + total);\n`,
        `const q${s} = exps.filter((v) => v > ${n} / total).length * ${s + i};\n`,
        `for (let j = ${n}; j < row.length; j += ${s + 2}) exps[j] *= ${i + 1};\n`,
        `p.push(exps.slice(${n % 7}).map((e, idx) => (e + idx) / (total * ${n})));\n`,
      ][(i + s) % 4]!;
    }
    return { student: `s${String(i).padStart(2, "0")}`, text: canonical + rest };
  });
  const result = similarPairs(answers, { kind: "code" });
  assert.is(result.compared, 12);
  assert.equal(result.pairs, []);
  // Without the limit the canonical lines alone would pair many of them.
  assert.ok(similarPairs(answers, { kind: "code", commonLimit: 12 }).pairs.length > 0);
});

test("free text: a re-punctuated copy scores ≥ 0.9, two different answers do not pair", () => {
  const original =
    "Softmax exponentiates every logit and divides by the sum of the exponentials, so each row becomes a probability distribution. " +
    "Subtracting the row maximum first does not change the result, because the common factor cancels. " +
    "It only keeps Math.exp from overflowing when logits are large.";
  const copy =
    "SOFTMAX exponentiates every logit, and divides by the sum of the exponentials -- so each row becomes a *probability distribution*!\n\n" +
    "subtracting the row maximum first does NOT change the result; because the common factor cancels.\n" +
    "- it only keeps `Math.exp` from overflowing when logits are large";
  const other =
    "We take e to the power of each score and normalise the row so that its entries add up to one. " +
    "The largest value is removed beforehand for numerical stability: otherwise exp of a big number is infinite and we would get NaN.";
  const given = "*Your answer here*";
  const result = similarPairs(
    [{ student: "a", text: original }, { student: "b", text: copy }, { student: "c", text: other }],
    { kind: "text", given, minScore: 0 },
  );
  const score = (x: string, y: string) => result.pairs.find((p) => p.students.includes(x) && p.students.includes(y))?.score ?? 0;
  assert.ok(score("a", "b") >= 0.9, `copy ${score("a", "b")}`);
  assert.ok(score("a", "c") < 0.5 && score("b", "c") < 0.5, `different ${score("a", "c")} ${score("b", "c")}`);
  const spans = result.pairs[0]!.spans[1];
  assert.ok(spans.some(([s, e]) => copy.slice(s, e).startsWith("SOFTMAX exponentiates every logit, and divides")));
});

test("pairs are sorted by score, then names; students in input order", () => {
  const base = INDEPENDENT[1]!;
  const answers: Answer[] = [
    { student: "zed", text: base },
    { student: "amy", text: INDEPENDENT[3]! },
    { student: "bob", text: base.replace("0);", "0) + 0;") },
    { student: "cat", text: INDEPENDENT[3]! },
  ];
  const pairs = similarPairs(answers, { kind: "code", commonLimit: 4 }).pairs;
  const keys = pairs.map((p: SimilarPair) => `${p.students.join("/")} ${p.score}`);
  assert.is(keys[0], "amy/cat 1");
  assert.is(pairs[1]!.students.join("/"), "zed/bob");
  assert.ok(pairs[1]!.score < 1);
});

test("scale: 5,000 answers in well under 10 s, planted copies still found", () => {
  const random = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const name = () => pick(["x", "y", "row", "r", "vals", "tmp", "out", "acc", "m", "z"]) + Math.floor(random() * 100);
  const number = () => Math.floor(random() * 1e6);
  const extra = () =>
    pick([
      () => `const ${name()} = ${number()} * ${name()};\n`,
      () => `if (${name()} > ${number()}) console.log("note ${number()}", ${name()});\n`,
      () => `for (let ${name()} = 0; ${name()} < ${number()}; ${name()}++) ${name()}.push(${random().toFixed(4)});\n`,
    ])();
  const rename = (text: string) => text.replace(/(?<![.\w])(row|exps|sum|max|total|m|e|x|s|r|c|z)\b/g, () => name());
  const answers: Answer[] = Array.from({ length: 5000 }, (_, i) => {
    let text = rename(pick(INDEPENDENT));
    for (let n = i < 10 ? 12 : Math.floor(random() * 4); n > 0; n--) text += extra();
    return { student: `student${i}`, text };
  });
  // Renamed copies of the first ten answers, which have a dozen statements of their own beyond a template.
  for (let i = 0; i < 10; i++) {
    answers[4990 + i] = { student: `copier${i}`, text: answers[i]!.text.replace(/(?<![.\w])[a-z]+\d+\b/g, (v) => v + "_") };
  }
  const started = performance.now();
  const result = similarPairs(answers, { kind: "code", given: GIVEN, minScore: 0.2 });
  const elapsed = performance.now() - started;
  const planted = result.pairs.slice(0, 10);
  console.log(
    `  5,000 answers: ${Math.round(elapsed)} ms, ${result.pairs.length} pairs ≥ 0.2, planted copies scored ` +
      `${planted.map((p) => p.score).join(", ")}; best other pair ${result.pairs[10]?.score ?? "none"}`,
  );
  assert.is(result.compared + result.tooShort.length, 5000);
  assert.equal(planted.map((p) => p.students.join("/")).sort(), Array.from({ length: 10 }, (_, i) => `student${i}/copier${i}`).sort());
  assert.ok(elapsed < 10_000);
});

test.run();
