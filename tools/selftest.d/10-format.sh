#!/usr/bin/env bash
# Selftest step: every C++ source folder follows .clang-format (tools/format.sh --check: labrpc,
# the labs, grading, bench). Skipped, and counted as passed, when clang-format is not installed:
# it is not one of the packages ./lab installs. The same check as a build target:
#   cmake --build --preset debug -t check-format
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
cd "$LAB_ROOT"

if ! command -v clang-format >/dev/null 2>&1; then
  echo "skipped: clang-format is not installed (apt-get install clang-format)"
  exit 0
fi
tools/format.sh --check
