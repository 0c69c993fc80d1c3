// Document fingerprinting by winnowing: Schleimer, Wilkerson & Aiken, "Winnowing: local algorithms for
// document fingerprinting", SIGMOD 2003 (the algorithm behind MOSS).

export interface Fingerprint {
  hash: number;
  /** Index of the k-gram's first token. */
  position: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over the UTF-16 (little-endian) bytes of a string. */
function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    h = Math.imul(h ^ (unit & 0xff), FNV_PRIME);
    h = Math.imul(h ^ (unit >>> 8), FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * The hash of every k-gram (k consecutive tokens), in order: 32-bit FNV-1a over the 4 bytes of each
 * token's own FNV-1a hash. Hashing fixed-width token hashes keeps token boundaries unambiguous
 * (["ab", "c"] and ["a", "bc"] differ) without a separator and costs O(k) per k-gram whatever the
 * token lengths. 32 bits: among N distinct k-grams about N²/2³³ pairs collide by chance (≈30 for
 * 500,000 k-grams, a class of 5,000); each adds at most one spurious shared fingerprint.
 */
export function kgramHashes(tokens: readonly string[], k: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, not ${k}`);
  const tokenHashes = tokens.map(fnv1a);
  const hashes: number[] = [];
  for (let first = 0; first + k <= tokenHashes.length; first++) {
    let h = FNV_OFFSET;
    for (let i = first; i < first + k; i++) {
      const t = tokenHashes[i]!;
      h = Math.imul(h ^ (t & 0xff), FNV_PRIME);
      h = Math.imul(h ^ ((t >>> 8) & 0xff), FNV_PRIME);
      h = Math.imul(h ^ ((t >>> 16) & 0xff), FNV_PRIME);
      h = Math.imul(h ^ (t >>> 24), FNV_PRIME);
    }
    hashes.push(h >>> 0);
  }
  return hashes;
}

/**
 * Robust winnowing: every window of w consecutive hashes selects its minimum; on ties the hash the
 * previous window selected if it is still in this window, else the rightmost minimum. Each selected
 * position is recorded once, so positions increase. A sequence shorter than w is one window.
 * Hence any run of at least w + k - 1 tokens shared by two documents (w whole k-grams, one full
 * window) gives both the same fingerprint: that window's minimum.
 */
export function winnow(hashes: readonly number[], w: number): Fingerprint[] {
  if (!Number.isInteger(w) || w < 1) throw new RangeError(`w must be a positive integer, not ${w}`);
  const n = hashes.length;
  const window = Math.min(w, n);
  const fingerprints: Fingerprint[] = [];
  // Monotonic deque of positions, hashes strictly increasing from head: its head is the window's rightmost minimum.
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let selected = -1;
  for (let i = 0; i < n; i++) {
    const h = hashes[i]!;
    while (tail > head && hashes[deque[tail - 1]!]! >= h) tail--;
    deque[tail++] = i;
    const start = i - window + 1;
    if (start < 0) continue;
    while (deque[head]! < start) head++;
    const minimum = deque[head]!;
    if (selected < start || hashes[selected]! !== hashes[minimum]!) {
      selected = minimum;
      fingerprints.push({ hash: hashes[minimum]!, position: minimum });
    }
  }
  return fingerprints;
}
