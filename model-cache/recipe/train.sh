#!/usr/bin/env bash
# Retrains the default model from scratch (maintainers only; never run by CI or at install):
#   bash model-cache/recipe/train.sh [outdir]        (about an hour on 2 CPU cores)
# Needs Debian's python3-torch (and libopenblas0-openmp for speed) and Node.js; the data comes from npm packages.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(realpath -m "${1:-$here/../phi3-tiny-course}")
work=${WORK:-$(mktemp -d)}
(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts)
cd "$work"
/usr/bin/python3 "$here/corpus.py" corpus.txt
/usr/bin/python3 "$here/bpe.py" corpus.txt .
/usr/bin/python3 "$here/train.py" --steps 6000 --out ckpt.pt | tee train.log
/usr/bin/python3 "$here/export.py" ckpt.pt "$out"
(cd "$root" && npm run build && node grader/bin/courseware.js model quantize "$out" && node scripts/model-metrics.mjs "$out")
