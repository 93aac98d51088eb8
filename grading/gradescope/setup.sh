#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image. It sits at the
# root of the autograder zip (`./lab handout --gradescope LAB autograder.zip`), which
# Gradescope unpacks into /autograder/source.
#
# 1. Installs the packages the project needs with `./lab deps`, ./lab's own installer (the
#    packages of tools/deps.txt; it names what is missing and why).
# 2. Prepares the image for hostile submissions (autograder.py setup): creates the grading
#    users, makes the public tree (/autograder/public: no hidden test, no instructor-only file)
#    and locks the instructors' tree away, then builds the public and the hidden test binaries
#    so that grading a submission only recompiles the student's files.
# docs/en/instructors.md ("Gradescope", "Threat model") explains the layout.
set -euo pipefail

SOURCE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
export LAB_ROOT="$SOURCE"

"$SOURCE/lab" deps

export AUTOGRADER_ROOT="${AUTOGRADER_ROOT:-$(dirname "$SOURCE")}"
export PYTHONDONTWRITEBYTECODE=1
exec python3 "$SOURCE/grading/gradescope/autograder.py" setup
