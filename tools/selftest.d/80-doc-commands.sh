#!/usr/bin/env bash
# Self-test step: every `./lab ...` command in README.md and docs/**/*.md names an existing
# subcommand, suite, test and option (tools/check_doc_commands.py explains the rules, including
# the `<!-- lab-pending: ... -->` marker for labs not yet in the repository). With the debug
# build at hand, the tests found in the sources are also compared with what the test binaries
# list, so that the check cannot pass on a test that does not run.
set -euo pipefail
cd "${LAB_ROOT:-$(dirname "$0")/../..}"
export PYTHONDONTWRITEBYTECODE=1  # keep __pycache__ out of the source tree

echo "== doc commands: unit tests of the checker (tools/tests/test_check_doc_commands.py)"
python3 -m unittest discover -s tools/tests -p 'test_check_doc_commands.py'

echo "== doc commands: checking the ./lab commands written in README.md and docs/"
build_args=()
if [[ -n "${LAB_BUILD_DIR:-}" && -d "${LAB_BUILD_DIR}/bin" ]]; then
  build_args=(--build-dir "$LAB_BUILD_DIR")
fi
python3 tools/check_doc_commands.py "${build_args[@]+"${build_args[@]}"}"
