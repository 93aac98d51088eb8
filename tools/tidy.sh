#!/usr/bin/env bash
# tools/tidy.sh: runs clang-tidy (checks: .clang-tidy) over our C++ sources.
#
#   tools/tidy.sh BUILD_DIR [FOLDER...]
#
# BUILD_DIR: a configured build tree; its compile_commands.json says how each file compiles.
# FOLDER: folders of the repository (default: every source folder of the project). Checked:
# every .cpp/.cc file of the compile database below those folders, and our headers they
# include (HeaderFilterRegex of .clang-tidy).
# CMake runs it as the targets `check-tidy` and `check-tidy-<folder>` (cmake/LabTooling.cmake):
#   cmake --build --preset debug --target check-tidy-raft
# Parallelism: $LAB_JOBS, else the number of CPUs. The clang-tidy binary is $CLANG_TIDY, else
# clang-tidy from PATH (Debian 12: clang-tidy 14, the version .clang-tidy is written for).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
default_folders=(labrpc raft kvraft shardkv mapreduce grading bench)

case "${1:-}" in
  -h | --help)
    sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
  "" | -*)
    echo "tidy.sh: usage: tools/tidy.sh BUILD_DIR [FOLDER...]" >&2
    exit 2
    ;;
esac
build_dir="$(cd "$1" && pwd)"
shift
folders=("$@")
((${#folders[@]} > 0)) || folders=("${default_folders[@]}")

clang_tidy="${CLANG_TIDY:-clang-tidy}"
if ! command -v "$clang_tidy" >/dev/null 2>&1; then
  echo "tidy.sh: $clang_tidy not found; install it with: sudo apt-get install clang-tidy" >&2
  exit 1
fi
if [[ ! -f "$build_dir/compile_commands.json" ]]; then
  echo "tidy.sh: no compile_commands.json in $build_dir (configure it first: ./lab build)" >&2
  exit 1
fi

# The translation units of the compile database that lie in the chosen folders.
mapfile -t files < <(python3 - "$build_dir/compile_commands.json" "$root" "${folders[@]}" <<'EOF'
import json, os, sys
database, root, folders = sys.argv[1], sys.argv[2], sys.argv[3:]
prefixes = [os.path.join(root, f.rstrip("/")) + os.sep for f in folders]
seen = set()
for entry in json.load(open(database)):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    if any(path.startswith(p) for p in prefixes) and path not in seen:
        seen.add(path)
        print(path)
EOF
)
if ((${#files[@]} == 0)); then
  echo "tidy.sh: no compiled file in ${folders[*]}"
  exit 0
fi

jobs="${LAB_JOBS:-$(nproc 2>/dev/null || echo 2)}"
echo "tidy.sh: clang-tidy on ${#files[@]} files of ${folders[*]} ($jobs at a time)"
# One clang-tidy per file, $jobs at once; each prints its own findings. xargs exits 123 when
# any of them failed.
printf '%s\0' "${files[@]}" |
  xargs -0 -n1 -P "$jobs" "$clang_tidy" -p "$build_dir" --quiet --use-color=false ||
  {
    echo "tidy.sh: clang-tidy found problems (above)" >&2
    exit 1
  }
echo "tidy.sh: ${#files[@]} files are clean"
