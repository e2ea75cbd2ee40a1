#!/usr/bin/env bash
# Installs uv for the selected Python if it is not there, and prints how to run it.
# `uv --version` is the test: a pyenv shim answers `command -v uv` even when uv is missing.
set -euo pipefail
if uv --version >/dev/null 2>&1; then
  echo uv
  exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check uv >&2
if uv --version >/dev/null 2>&1; then
  echo uv
else
  echo "python3 -m uv"
fi
