#!/usr/bin/env bash
# Creates the project-local Python environment (.venv) for the Lithops bridge: a pinned Lithops
# from PyPI, pytest, and python/ installed in editable mode. Idempotent: when the stamp matches
# this file and python/pyproject.toml, it returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: the newest release on PyPI when the bridge was written (pip index versions lithops).
LITHOPS_VERSION=3.8.0
PYTEST_VERSION=8.3.4
# For examples/lithops (a word count with numpy).
NUMPY_VERSION=2.4.6

venv=.venv
stamp="$venv/.rightsizer-setup"
want="lithops==$LITHOPS_VERSION pytest==$PYTEST_VERSION numpy==$NUMPY_VERSION $(cksum < python/pyproject.toml | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup-python: $python not found; install Python 3.9+ (with venv) or set PYTHON=/path/to/python3" >&2
  exit 1
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --no-input -q)
"${pip[@]}" install "lithops==$LITHOPS_VERSION" "pytest==$PYTEST_VERSION" "numpy==$NUMPY_VERSION"
"${pip[@]}" install -e python/
echo "$want" > "$stamp"
