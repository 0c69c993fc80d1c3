"""Trains a GPT-2-style byte-level BPE (every word with a leading space, <|endoftext|> as BOS/EOS), writes
tokenizer.json + tokenizer_config.json for transformers.js, and encodes the corpus to tokens.u16."""
import collections, json, re, sys
import numpy as np

VOCAB = 4096
EOT = "<|endoftext|>"
PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\w+| ?[0-9]+| ?[^\s\w]+|\s+(?!\S)|\s+""")
PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z\u00C0-\u024F]+| ?[0-9]+| ?[^\sA-Za-z0-9\u00C0-\u024F]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


B2U = bytes_to_unicode()


def pretokens(line):
    return PAT.findall(" " + line)  # add_prefix_space: every word, the first too, starts with a space


def train(corpus):
    counts = collections.Counter()
    for line in open(corpus, encoding="utf-8"):
        counts.update(pretokens(line.rstrip("\n")))
    words = [(tuple(B2U[b] for b in w.encode("utf-8")), c) for w, c in sorted(counts.items()) if c >= 2]
    syms = [list(w) for w, _ in words]
    freqs = [c for _, c in words]
    pairs = collections.Counter()
    where = collections.defaultdict(set)
    for i, s in enumerate(syms):
        for a, b in zip(s, s[1:]):
            pairs[(a, b)] += freqs[i]
            where[(a, b)].add(i)
    vocab = {B2U[b]: b for b in range(256)}
    merges = []
    while len(vocab) < VOCAB - 1:
        (a, b), c = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        if c < 2:
            break
        new = a + b
        merges.append(f"{a} {b}")
        vocab[new] = len(vocab)
        for i in list(where[(a, b)]):
            s, f = syms[i], freqs[i]
            for x, y in zip(s, s[1:]):
                pairs[(x, y)] -= f
                if pairs[(x, y)] <= 0:
                    del pairs[(x, y)]
                where[(x, y)].discard(i)
            j, out = 0, []
            while j < len(s):
                if j < len(s) - 1 and s[j] == a and s[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            syms[i] = out
            for x, y in zip(out, out[1:]):
                pairs[(x, y)] += f
                where[(x, y)].add(i)
    vocab[EOT] = len(vocab)
    return vocab, merges


def write_tokenizer(vocab, merges, outdir):
    eot = vocab[EOT]
    bl = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    tok = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": eot, "content": EOT, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}],
        "normalizer": None, "pre_tokenizer": bl,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": EOT, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": EOT, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {EOT: {"id": EOT, "ids": [eot], "tokens": [EOT]}},
        },
        "decoder": {**bl},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False, "vocab": vocab, "merges": merges},
    }
    json.dump(tok, open(f"{outdir}/tokenizer.json", "w", encoding="utf-8"), ensure_ascii=False)
    json.dump({"tokenizer_class": "GPT2Tokenizer", "bos_token": EOT, "eos_token": EOT, "unk_token": EOT, "pad_token": EOT,
               "add_prefix_space": True, "clean_up_tokenization_spaces": False, "model_max_length": 256},
              open(f"{outdir}/tokenizer_config.json", "w"), indent=2)


class Encoder:
    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.ranks = {tuple(m.split(" ")): i for i, m in enumerate(merges)}
        self.cache = {}

    def word(self, w):
        if w in self.cache:
            return self.cache[w]
        s = [B2U[b] for b in w.encode("utf-8")]
        while len(s) > 1:
            rank, i = min((self.ranks.get((a, b), 1e18), i) for i, (a, b) in enumerate(zip(s, s[1:])))
            if rank == 1e18:
                break
            s = s[:i] + [s[i] + s[i + 1]] + s[i + 2:]
        ids = [self.vocab[x] for x in s]
        self.cache[w] = ids
        return ids

    def encode(self, text):
        return [i for w in pretokens(text) for i in self.word(w)]


if __name__ == "__main__":
    corpus, outdir = sys.argv[1], sys.argv[2]
    vocab, merges = train(corpus)
    write_tokenizer(vocab, merges, outdir)
    enc = Encoder(vocab, merges)
    ids = []
    for line in open(corpus, encoding="utf-8"):
        ids.append(vocab[EOT])  # every paragraph starts with BOS, as tokenizer(text) does
        ids.extend(enc.encode(line.rstrip("\n")))
    np.array(ids, dtype=np.uint16).tofile("tokens.u16")
    print(f"tokenizer: {len(vocab)} tokens; corpus: {len(ids)} tokens; 'dog cat car' -> {enc.encode('dog cat car')}")
