#!/usr/bin/env bash
# Installs the Debian packages the tests drive, when missing: a headless Chromium (widget and Notebook UI tests),
# Jupyter (the classic Notebook, nbconvert, nbclient, nbformat) to run the lesson in the real tslab kernel, and
# bubblewrap, the sandbox's OS layer (the grader uses it wherever it works), and redis-server for the queue tests
# (the tests start their own server on a loopback port).
# Run by .ci/run and before `npm test`; needs root or sudo only when something is missing.
set -euo pipefail
if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
  echo "Not a Debian-like system: install Chromium, Jupyter (notebook, nbconvert, nbclient, nbformat) and bubblewrap yourself." >&2
  exit 0
fi
need=()
for pkg in chromium jupyter-notebook jupyter-nbconvert jupyter-client python3-nbformat python3-nbclient bubblewrap redis-server; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages for the tests: ${need[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
