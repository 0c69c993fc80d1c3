// Gradescope autograder bundle: setup.sh and run_autograder.
// Format followed: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (the zip holds setup.sh and
// run_autograder at its root; it is extracted to /autograder/source; setup.sh runs once as root on Ubuntu when
// the image is built; run_autograder runs in /autograder for each submission, which is in
// /autograder/submission, and must write /autograder/results/results.json).
import type { ExportFile } from "./common.js";
import type { HiddenVisibility } from "./gradescope.js";

export interface BundleOptions {
  /** The assignment to grade (passed to `courseware grade --assignment`); omitted when undefined. */
  assignment?: string;
  hiddenVisibility?: HiddenVisibility;
}

/** Single-quotes a value for bash. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const SETUP = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# It installs Node.js 20 and the courseware project, from courseware.tar.gz when the zip has one,
# otherwise from the zip's own copy of the project (package.json at the root of the zip).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg tar
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi

SRC=/autograder/source
PROJECT=/autograder/courseware
rm -rf "$PROJECT"
mkdir -p "$PROJECT"
if [ -f "$SRC/courseware.tar.gz" ]; then
  tar -xzf "$SRC/courseware.tar.gz" -C "$PROJECT" --strip-components="\${COURSEWARE_STRIP:-0}"
elif [ -f "$SRC/package.json" ]; then
  cp -a "$SRC/." "$PROJECT/"
else
  echo "setup.sh: put courseware.tar.gz (or the project itself) in the autograder zip" >&2
  exit 1
fi
cd "$PROJECT"
npm ci
npm run build
node grader/bin/courseware.js --version
`;

function runAutograder(opts: BundleOptions): string {
  const assignment = opts.assignment === undefined ? "" : ` --assignment ${shellQuote(opts.assignment)}`;
  const hidden = opts.hiddenVisibility ? ` --hidden-visibility ${opts.hiddenVisibility}` : "";
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission, in /autograder; the student's files are in /autograder/submission.
# It grades them with courseware and converts the one score document to /autograder/results/results.json.
set -uo pipefail

ROOT="\${AUTOGRADER_ROOT:-/autograder}" # another root only for trying the script outside Gradescope
PROJECT="$ROOT/courseware"
GRADES="$(mktemp -d)/grades"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"

cd "$PROJECT"
node grader/bin/courseware.js grade "$ROOT/submission" --out "$GRADES"${assignment}
if ! node grader/bin/courseware.js export gradescope --from "$GRADES" --single --out "$ROOT/results"${hidden}; then
  # No single score document (no notebook, or several): tell the student instead of failing silently.
  cat > "$RESULTS" <<'JSON'
{
  "score": 0,
  "output": "The autograder found no single notebook to grade in your submission. Submit exactly one .ipynb file.",
  "tests": []
}
JSON
fi
`;
}

const README = `Gradescope autograder for courseware
====================================

1. Put the project next to these scripts, either as courseware.tar.gz, made at the root of the
   course repository with:  git archive --format=tar.gz -o courseware.tar.gz HEAD
   or by copying the project's files (package.json at the top) into this folder.
2. Zip the files, not the folder:  cd gradescope-autograder && zip -r ../autograder.zip .
3. Upload autograder.zip in the assignment's "Configure Autograder" page on Gradescope.

See grader/docs/exports.md.
`;

export function gradescopeBundle(opts: BundleOptions = {}): ExportFile[] {
  return [
    { path: "gradescope-autograder/setup.sh", content: SETUP, mode: 0o755 },
    { path: "gradescope-autograder/run_autograder", content: runAutograder(opts), mode: 0o755 },
    { path: "gradescope-autograder/README.txt", content: README },
  ];
}
