#!/usr/bin/env bash
# Self-test step: every `./lab ...` command in README.md and docs/**/*.md names an existing
# subcommand, suite, test and option (tools/check_doc_commands.py explains the rules, including
# the `<!-- lab-pending: ... -->` marker for labs not yet in the repository).
# The checker can also compare the tests found in the sources with what the built binaries list
# (--build-dir); that comparison is off here for now: it attributes the sources of suites whose
# CMakeLists build their file lists from variables (raft_unit) to the wrong suite.
set -euo pipefail
cd "${LAB_ROOT:-$(dirname "$0")/../..}"
export PYTHONDONTWRITEBYTECODE=1  # keep __pycache__ out of the source tree

echo "== doc commands: unit tests of the checker (tools/tests/test_check_doc_commands.py)"
python3 -m unittest discover -s tools/tests -p 'test_check_doc_commands.py'

echo "== doc commands: checking the ./lab commands written in README.md and docs/"
python3 tools/check_doc_commands.py
