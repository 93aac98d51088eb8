#!/usr/bin/env bash
# Selftest step: labrpc/ follows .clang-format (the runtime is the model the other folders
# copy). Skipped, and counted as passed, when clang-format is not installed: it is not one of
# the packages ./lab installs. For every folder: cmake --build --preset debug -t check-format.
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
cd "$LAB_ROOT"

if ! command -v clang-format >/dev/null 2>&1; then
  echo "skipped: clang-format is not installed (apt-get install clang-format)"
  exit 0
fi
tools/format.sh --check labrpc
