// Gradescope autograder bundle: setup.sh and run_autograder.
// Format followed: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (the zip holds setup.sh and
// run_autograder at its root; it is extracted to /autograder/source; setup.sh runs once as root on Ubuntu when
// the image is built; run_autograder runs in /autograder for each submission, which is in
// /autograder/submission, and must write /autograder/results/results.json) and docs/base_images.md (the default
// base image is Ubuntu 22.04).
// Node.js: the project runs on ^20.19.0 || ^22.12.0 || >=24 (package.json engines); Node 20 reached its end of
// life in April 2026 (https://nodejs.org/en/about/previous-releases), so setup.sh installs the LTS line 24 with
// NodeSource's setup script (https://github.com/nodesource/distributions) unless a supported Node is already there,
// and checks the result against the same range.
import type { ExportFile } from "./common.js";
import type { GradescopeOptions } from "./gradescope.js";

export interface BundleOptions extends Omit<GradescopeOptions, "executionTimeSeconds"> {
  /** The assignment to grade (passed to `courseware grade --assignment`); omitted when undefined. */
  assignment?: string;
}

/** The NodeSource major version setup.sh installs. */
export const NODE_MAJOR = 24;
/** The Node.js lines the project runs on, as [major, least minor]; every major from the last one on. */
export const NODE_SUPPORTED: ReadonlyArray<readonly [number, number]> = [[20, 19], [22, 12], [24, 0]];
/** The same as package.json's engines.node. */
export const NODE_ENGINES = NODE_SUPPORTED.map(([a, b], i) => (i === NODE_SUPPORTED.length - 1 ? `>=${a}` : `^${a}.${b}.0`)).join(" || ");
const nodeCheck = NODE_SUPPORTED.map(([a, b], i) => (i === NODE_SUPPORTED.length - 1 ? `a >= ${a}` : `(a === ${a} && b >= ${b})`)).join(" || ");

/** Single-quotes a value for bash. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const SETUP = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# It installs Node.js ${NODE_MAJOR} (an LTS line; the project runs on ${NODE_ENGINES}) unless such a Node is
# there, and the courseware project, from courseware.tar.gz when the zip has one, otherwise from the zip's own copy of
# the project (package.json at the root of the zip).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg tar
node_ok() {
  command -v node >/dev/null && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(${nodeCheck} ? 0 : 1)'
}
if ! node_ok; then
  curl -fsSL https://deb.nodesource.com/setup_${NODE_MAJOR}.x | bash -
  apt-get install -y nodejs
fi
node_ok || { echo "setup.sh: Node.js ${NODE_ENGINES} is needed; found $(node --version 2>&1)" >&2; exit 1; }

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
  const flags = [
    ...(opts.assignment === undefined ? [] : ["--assignment", shellQuote(opts.assignment)]),
    ...(opts.hiddenVisibility ? ["--hidden-visibility", opts.hiddenVisibility] : []),
    ...(opts.visibility ? ["--visibility", opts.visibility] : []),
    ...(opts.stdoutVisibility ? ["--stdout-visibility", opts.stdoutVisibility] : []),
    ...(opts.format ? ["--format", opts.format] : []),
  ];
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission, in /autograder; the student's files are in /autograder/submission.
# courseware-autograder grades the one notebook and writes /autograder/results/results.json. When the autograder
# itself fails (the project is not built, the sandbox cannot start, ...) no results.json is written, so that
# Gradescope shows an autograder error instead of giving the student a score; why is printed here, in the output
# Gradescope shows to instructors. See grader/docs/lms/gradescope.md.
set -uo pipefail
exec 2>&1

ROOT="\${AUTOGRADER_ROOT:-/autograder}" # another root only for trying the script outside Gradescope
PROJECT="$ROOT/courseware"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"

node "$PROJECT/grader/bin/courseware-autograder.js" gradescope --root "$ROOT"${flags.length ? ` ${flags.join(" ")}` : ""}
status=$?
if [ "$status" -ne 0 ] || [ ! -s "$RESULTS" ]; then
  rm -f "$RESULTS"
  echo "run_autograder: AUTOGRADER FAILURE (exit status $status): no results.json, so Gradescope reports an autograder error, not a score for the student."
  exit 1
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

Test it with "Test Autograder" on that page, with a complete notebook and with a file that is not one.
See grader/docs/lms/gradescope.md.
`;

export function gradescopeBundle(opts: BundleOptions = {}): ExportFile[] {
  return [
    { path: "gradescope-autograder/setup.sh", content: SETUP, mode: 0o755 },
    { path: "gradescope-autograder/run_autograder", content: runAutograder(opts), mode: 0o755 },
    { path: "gradescope-autograder/README.txt", content: README },
  ];
}
