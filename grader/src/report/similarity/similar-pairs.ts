// Which students' answers to one question look alike. Fingerprints as in MOSS (winnowing, see
// winnow.ts; Aiken's MOSS also drops passages found in too many submissions, its -m option);
// the score is JPlag's average similarity (Prechelt, Malpohl & Philippsen, "Finding plagiarisms
// among a set of programs with JPlag", 2002), the Dice coefficient of the two fingerprint sets once
// common passages are taken out of both, as MOSS takes them out: code most of the class writes is
// neither evidence for a pair nor against it.
import { codeTokens, textTokens, type Token } from "./tokens.js";
import { kgramHashes, winnow } from "./winnow.js";

export type AnswerKind = "code" | "text";

export interface Answer {
  student: string;
  text: string;
}

export interface SimilarPair {
  students: [string, string]; // ordered as in the input array
  score: number; // 0..1, rounded to 3 decimals
  /** Character ranges [start, end) of each answer that the two share (merged, sorted), for a side-by-side view. */
  spans: [Array<[number, number]>, Array<[number, number]>];
}

export interface CompareOptions {
  kind: AnswerKind;
  /** The text every student was given in this answer cell (the release's cell: "// YOUR CODE HERE", declarations): its fingerprints never count. */
  given?: string;
  minScore?: number; // default 0.5: pairs below are not returned
  /** A passage (k-gram) found in more answers than this is common code or idiom and does not count, on either side (MOSS's -m). Default: min(10, max(2, floor(n / 2))) where n = answers compared. */
  commonLimit?: number;
}

export interface CompareResult {
  pairs: SimilarPair[];
  /** How many answers had enough fingerprints of their own to be compared. */
  compared: number;
  /** Students whose answer has fewer than MIN_FINGERPRINTS fingerprints outside the given text, in input order. */
  tooShort: string[];
}

/** Tokens per k-gram: code tokens are small (`(`, `$`), words carry more. */
export const KGRAM_SIZE: Readonly<Record<AnswerKind, number>> = { code: 8, text: 4 };
/** Winnowing window: any shared run of KGRAM_SIZE + WINDOW_SIZE - 1 tokens (11 code tokens, 6 words) is found. */
export const WINDOW_SIZE: Readonly<Record<AnswerKind, number>> = { code: 4, text: 3 };
/**
 * Fewer fingerprints of its own than this and an answer is not compared: identical short answers
 * prove nothing. Winnowing keeps about 2 / (w + 1) of the k-grams, so this is about 25 code tokens
 * beyond the given text (`p = logits.map((r) => softmax(r));` has 16 and 7 fingerprints) or 15 words.
 */
export const MIN_FINGERPRINTS: Readonly<Record<AnswerKind, number>> = { code: 10, text: 6 };
/**
 * Fewer shared fingerprints than this and a pair is not listed, whatever its score: two answers that are the
 * class's common code plus one identical short line would otherwise score 1.
 */
export const MIN_SHARED: Readonly<Record<AnswerKind, number>> = { code: 5, text: 3 };
export const DEFAULT_MIN_SCORE = 0.5;

export function defaultCommonLimit(compared: number): number {
  return Math.min(10, Math.max(2, Math.floor(compared / 2)));
}

interface Prepared {
  index: number; // in the input array
  answer: Answer;
  tokens: Token[];
  grams: number[]; // hash of the k-gram starting at each token
  fingerprints: Set<number>; // winnowed hashes not in the given text
  /** The fingerprints that are not common: what the score compares. */
  own: number;
}

export function similarPairs(answers: readonly Answer[], options: CompareOptions): CompareResult {
  const { kind } = options;
  const k = KGRAM_SIZE[kind];
  const tokenise = kind === "code" ? codeTokens : textTokens;
  const hashesOf = (tokens: Token[]) => kgramHashes(tokens.map((t) => t.text), k);
  // Every k-gram of the given text, a superset of its winnowed fingerprints.
  const given = new Set(hashesOf(tokenise(options.given ?? "")));

  const prepared: Prepared[] = [];
  const tooShort: string[] = [];
  answers.forEach((answer, index) => {
    const tokens = tokenise(answer.text);
    const grams = hashesOf(tokens);
    const fingerprints = new Set<number>();
    for (const { hash } of winnow(grams, WINDOW_SIZE[kind])) if (!given.has(hash)) fingerprints.add(hash);
    if (fingerprints.size < MIN_FINGERPRINTS[kind]) tooShort.push(answer.student);
    else prepared.push({ index, answer, tokens, grams, fingerprints, own: 0 });
  });

  const n = prepared.length;
  const commonLimit = options.commonLimit ?? defaultCommonLimit(n);
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;

  // How many answers hold each k-gram anywhere (not only where winnowing picked it), so that a passage is
  // common, or not, as a whole.
  const holdersOf = new Map<number, number>();
  for (const p of prepared) for (const hash of new Set(p.grams)) holdersOf.set(hash, (holdersOf.get(hash) ?? 0) + 1);
  const common = (hash: number) => (holdersOf.get(hash) ?? 0) > commonLimit;

  // Inverted index: fingerprint → answers holding it (ascending, as filled in order), common ones left out.
  const holders = new Map<number, number[]>();
  prepared.forEach((p, i) => {
    for (const hash of p.fingerprints) {
      if (common(hash)) continue;
      p.own++;
      const list = holders.get(hash);
      if (list) list.push(i);
      else holders.set(hash, [i]);
    }
  });
  // Shared fingerprints per pair i < j, keyed i * n + j.
  const shared = new Map<number, number>();
  for (const list of holders.values()) {
    if (list.length < 2) continue;
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const key = list[a]! * n + list[b]!;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }

  const found: Array<{ a: Prepared; b: Prepared; score: number }> = [];
  for (const [key, count] of shared) {
    if (count < MIN_SHARED[kind]) continue;
    const a = prepared[Math.floor(key / n)]!;
    const b = prepared[key % n]!;
    const score = Math.round((2000 * count) / (a.own + b.own)) / 1000;
    if (score >= minScore) found.push({ a, b, score });
  }
  found.sort(
    (x, y) =>
      y.score - x.score ||
      compare(x.a.answer.student, y.a.answer.student) ||
      compare(x.b.answer.student, y.b.answer.student) ||
      x.a.index - y.a.index ||
      x.b.index - y.b.index,
  );
  const pairs = found.map(({ a, b, score }): SimilarPair => ({
    students: [a.answer.student, b.answer.student],
    score,
    spans: sharedSpans(a, b, (h) => given.has(h) || common(h), k, kind),
  }));
  return { pairs, compared: n, tooShort };
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Each answer's tokens covered by a k-gram (any, not only fingerprints) that both answers contain, neither given nor common. */
function sharedSpans(a: Prepared, b: Prepared, ignored: (hash: number) => boolean, k: number, kind: AnswerKind): SimilarPair["spans"] {
  const inA = new Set(a.grams);
  const inB = new Set(b.grams);
  return [
    ranges(a, k, kind, (h) => inB.has(h) && !ignored(h)),
    ranges(b, k, kind, (h) => inA.has(h) && !ignored(h)),
  ];
}

function ranges(p: Prepared, k: number, kind: AnswerKind, counts: (hash: number) => boolean): Array<[number, number]> {
  const covered = new Uint8Array(p.tokens.length);
  p.grams.forEach((hash, first) => {
    if (counts(hash)) covered.fill(1, first, first + k);
  });
  const out: Array<[number, number]> = [];
  let previous = -1; // index of the last covered token
  p.tokens.forEach((token, i) => {
    if (!covered[i]) return;
    const last = out[out.length - 1];
    // Code merges across whitespace only, so a comment between copied statements stays unmarked;
    // words merge across the punctuation and markup between them.
    const joins = last && previous === i - 1 && (kind === "text" || /^\s*$/.test(p.answer.text.slice(last[1], token.start)));
    if (last && joins) last[1] = token.end;
    else out.push([token.start, token.end]);
    previous = i;
  });
  return out;
}
