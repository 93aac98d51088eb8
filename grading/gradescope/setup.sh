#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image. It sits at the
# root of the autograder zip (`./lab handout --gradescope LAB autograder.zip`), which
# Gradescope unpacks into /autograder/source.
#
# It installs the Debian packages the project needs (tools/deps.txt) and builds the lab's test
# binary once, so that grading a submission later only recompiles the student's files.
#
# The project supports Debian 12 only (Boost 1.81, CMake 3.25, Catch2 v2). On another system
# the package step names what is missing and the build stops with CMake's message; choose a
# Debian 12 base image for the assignment (see docs/en/instructors.md).
set -euo pipefail

SOURCE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
export LAB_ROOT="$SOURCE"

if [[ -r /etc/os-release ]]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  if [[ "${ID:-}" != debian || "${VERSION_ID:-}" != 12 ]]; then
    echo "setup.sh: warning: this is ${PRETTY_NAME:-an unknown system}, not Debian 12;" \
         "the packages of tools/deps.txt may not exist here" >&2
  fi
fi

# shellcheck source=../../tools/lib/common.sh
source "$SOURCE/tools/lib/common.sh"
lab_ensure_deps

target="$(python3 -c '
import json, sys
root = sys.argv[1]
config = json.load(open(root + "/grading/gradescope/assignment.json"))
print(json.load(open(root + "/" + config["manifest"]))["build_target"])' "$SOURCE")"
echo "setup.sh: building $target (preset debug)"
lab_build debug "$target"
