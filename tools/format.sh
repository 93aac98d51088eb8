#!/usr/bin/env bash
# tools/format.sh: formats our C++ sources with clang-format (style: .clang-format).
#
#   tools/format.sh [--check] [FOLDER...]
#
# FOLDER: folders of the repository (default: every source folder of the project that
# exists). Files: *.h, *.hpp, *.cpp, *.cc below them, skipping any build/ folder.
# --check: change nothing; list the files that differ from the style and fail if any does.
# CMake runs it as the targets `format` and `check-format` (cmake/LabTooling.cmake), e.g.
#   cmake --build --preset debug --target check-format
# The clang-format binary is $CLANG_FORMAT, else clang-format from PATH. The style was checked
# with Debian 12's clang-format 14; other versions may disagree on a few lines.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
default_folders=(labrpc raft kvraft shardkv mapreduce grading bench)

check=0
folders=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    -h | --help)
      sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    -*)
      echo "format.sh: unknown option '$arg' (usage: tools/format.sh [--check] [FOLDER...])" >&2
      exit 2
      ;;
    *) folders+=("$arg") ;;
  esac
done
((${#folders[@]} > 0)) || folders=("${default_folders[@]}")

clang_format="${CLANG_FORMAT:-clang-format}"
if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "format.sh: $clang_format not found; install it with: sudo apt-get install clang-format" >&2
  exit 1
fi

cd "$root"
existing=()
for folder in "${folders[@]}"; do
  folder="${folder%/}"
  if [[ -d "$folder" ]]; then
    existing+=("$folder")
  elif [[ " ${default_folders[*]} " != *" $folder "* ]]; then
    # A folder named on the command line must exist; default folders may not exist yet.
    echo "format.sh: no folder '$folder' in $root" >&2
    exit 2
  fi
done
((${#existing[@]} > 0)) || {
  echo "format.sh: none of the folders exists yet: ${folders[*]}"
  exit 0
}

mapfile -t files < <(find "${existing[@]}" -name build -prune -o -type f \
  \( -name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' \) -print | LC_ALL=C sort)
if ((${#files[@]} == 0)); then
  echo "format.sh: no C++ file in ${existing[*]}"
  exit 0
fi

if ((check == 0)); then
  "$clang_format" -i --style=file "${files[@]}"
  echo "format.sh: formatted ${#files[@]} files in ${existing[*]}"
  exit 0
fi

# --check: clang-format --dry-run prints one warning per differing spot; we list files only.
bad=()
for file in "${files[@]}"; do
  if ! "$clang_format" --dry-run --Werror --style=file "$file" >/dev/null 2>&1; then
    bad+=("$file")
  fi
done
if ((${#bad[@]} > 0)); then
  echo "format.sh: ${#bad[@]} of ${#files[@]} files differ from .clang-format:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "fix them with: tools/format.sh ${existing[*]}" >&2
  echo "(see the changes with: $clang_format --style=file FILE | diff FILE -)" >&2
  exit 1
fi
echo "format.sh: ${#files[@]} files in ${existing[*]} follow .clang-format"
