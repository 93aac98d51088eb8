#!/usr/bin/env bash
# Selftest step: set-up from nothing, as students meet it, on brand-new Debian systems.
#
# Two roots made with `debootstrap --variant=minbase` holding only git (what the READMEs
# assume), worked on at the same time, each by root inside a chroot with a clean environment
# (no CI, no ccache, no compiler flags from outside):
#
#   Debian 13 (trixie): GCC 14, Catch2 3, fmt 10, Boost 1.83. A clone of this repository, then
#     the README's command `./lab grade` on the stubs: zero points, a reason under every test
#     ("not implemented: ..."), times in virtual seconds; and no browser or linter installed
#     (prints the packages ./lab installed). Then `./lab grade --solution`: full marks.
#   Debian 12 (bookworm): Boost 1.74 by default. A student handout (`./lab handout`, made on
#     this machine) cloned as a student clones it, then its README's commands: `./lab test raft
#     2A` fails naming Raft::GetState, `./lab grade` gives zero with reasons; `./lab selftest`
#     and `--solution` refuse in one line. Then the toolchain floor, Ubuntu 22.04's GCC 11 with
#     Boost 1.74: g++-11 builds the repository's reference suites, which pass on one seed.
#     Debian 12's default GCC 12 is what the other selftest steps use on this machine.
#
# Skips itself, saying why, where it cannot run (not root, no debootstrap or chroot, no Debian
# mirror), except under CI=true, where that is a failure. Nothing of the host is bind-mounted;
# each root gets /proc only, and is unmounted and deleted at the end, also on failure (set
# LAB_KEEP_ROOTS=1 to keep them in build/fresh-system/). Mirror: $LAB_DEBIAN_MIRROR, default
# http://deb.debian.org/debian. Takes about 14 minutes on 2 cores, mostly builds.
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
cd "$LAB_ROOT"

mirror="${LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="$LAB_ROOT/build/fresh-system"

# --- Catch2 through the glue only (cheap; runs everywhere) ----------------------------------
# Debian 13 has Catch2 3 and the other steps build with Catch2 2: a test file that includes
# <catch2/...> itself builds with one of them only.
direct="$(git grep -lE '#include[[:space:]]*<catch2/' -- '*.cpp' '*.h' '*.hpp' |
  grep -vxE 'labrpc/testing/(catch\.h|test_main\.cpp)' || true)"
if [[ -n "$direct" ]]; then
  echo "FAIL  these files include Catch2 directly; include \"labrpc/testing/test.h\" (or"
  echo "      \"labrpc/testing/catch.h\") instead, which works with Catch2 2 and 3:"
  mapfile -t files <<<"$direct"
  printf '        %s\n' "${files[@]}"
  exit 1
fi
echo "ok    every test file includes Catch2 through labrpc/testing/catch.h"

# --- can it run here? -----------------------------------------------------------------------
cannot_run() {
  if [[ "${CI:-}" == true ]]; then
    echo "FAIL  90-fresh-system cannot run in CI: $*"
    exit 1
  fi
  echo "90-fresh-system: skipped: $*"
  exit 0
}
[[ "$(id -u)" == 0 ]] || cannot_run "needs root (debootstrap and chroot)"
[[ -z "${LAB_FRESH_SYSTEM:-}" ]] || cannot_run "already inside a fresh system"
command -v debootstrap >/dev/null || cannot_run "debootstrap is not installed (./lab deps --dev)"
command -v chroot >/dev/null || cannot_run "chroot is not installed"
host="${mirror#*://}"
host="${host%%/*}"
timeout 20 bash -c "exec 3<>/dev/tcp/$host/80" 2>/dev/null ||
  cannot_run "the Debian mirror $mirror cannot be reached"
[[ -z "$(git status --porcelain --untracked-files=no)" ]] ||
  echo "note: the working tree has uncommitted changes; the fresh systems get the last commit"

# --- roots, and their clean-up --------------------------------------------------------------
passed=0
failed=0
ok() {
  echo "ok    $*"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL  $*"
  failed=$((failed + 1))
}

unmount_all() {
  local root
  for root in "$work"/*/; do
    [[ -d "$root" ]] || continue
    if mountpoint -q "${root}proc"; then
      umount "${root}proc" 2>/dev/null || umount -l "${root}proc" || true
    fi
  done
}
cleanup() {
  local pid
  for pid in ${trixie_pid:-} ${bookworm_pid:-}; do
    kill "$pid" 2>/dev/null || true
  done
  unmount_all
  if [[ "${LAB_KEEP_ROOTS:-}" != 1 ]]; then
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP
unmount_all
rm -rf --one-file-system "$work"
mkdir -p "$work"

# in_root ROOT COMMAND...: runs COMMAND as root in ROOT, in /root, with a clean environment.
in_root() {
  local root=$1
  shift
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  # shellcheck disable=SC2016  # $1 is expanded by the inner bash
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb LAB_JOBS="${LAB_JOBS:-2}" \
    LAB_FRESH_SYSTEM=1 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c 'cd /root && eval "$1"' in_root "$*"
}

# timed NAME LOG COMMAND...: runs COMMAND, appends its output to LOG, records in $work/times
# one line "NAME: real R s, cpu C s, exit status S" (cpu: user + system time of everything
# it ran, what the part costs on an otherwise idle machine).
timed() {
  local name=$1 log=$2 status=0 TIMEFORMAT="%R %U %S"
  shift 2
  echo "---- $name: $*" >>"$log"
  { time "$@" >>"$log" 2>&1 || status=$?; } 2>"$work/time.$BASHPID"
  awk -v name="$name:" -v status="$status" \
    '{ printf "%-26s real %5.0f s, cpu %5.0f s, exit status %s\n", name, $1, $2 + $3, status }' \
    "$work/time.$BASHPID" >>"$work/times"
  return "$status"
}

make_root() {  # make_root SUITE ROOT LOG
  timed "$1:debootstrap" "$3" \
    debootstrap --variant=minbase --include=git "$1" "$2" "$mirror" || return 1
}

# --- Debian 13: the repository's README, as a student runs it ---------------------------
trixie() {
  local root="$work/trixie" log="$work/trixie.log"
  make_root trixie "$root" "$log" || return 1
  git clone -q --no-hardlinks "$LAB_ROOT" "$root/root/distlabs"
  in_root "$root" "dpkg-query -W -f='\${Package}\n' | sort" >"$work/trixie-before.txt"
  timed "trixie:grade(stubs)" "$work/trixie-grade.out" \
    in_root "$root" "cd distlabs && ./lab grade" || echo "exit $?" >>"$work/trixie-grade.status"
  in_root "$root" "dpkg-query -W -f='\${Package}\n' | sort" >"$work/trixie-after.txt"
  # One run per test: this proves the set-up (every lab builds and its reference grades full);
  # the references' reliability over many seeds is steps 30-36's work.
  timed "trixie:grade(--solution)" "$work/trixie-solution.out" \
    in_root "$root" "cd distlabs && ./lab grade --solution --runs 1" ||
    echo "exit $?" >>"$work/trixie-solution.status"
}

# --- Debian 12: a handout's README, then the floor ------------------------------------------
bookworm() {
  local root="$work/bookworm" log="$work/bookworm.log"
  make_root bookworm "$root" "$log" || return 1
  git clone -q --bare --no-hardlinks "$work/handout" "$root/srv/labs.git"
  timed "bookworm:test raft 2A" "$work/handout-test.out" \
    in_root "$root" "git clone -q /srv/labs.git labs && cd labs && ./lab test raft 2A" ||
    echo "exit $?" >>"$work/handout-test.status"
  timed "bookworm:grade(stubs)" "$work/handout-grade.out" \
    in_root "$root" "cd labs && ./lab grade" || echo "exit $?" >>"$work/handout-grade.status"
  local refuse
  for refuse in "./lab selftest" "./lab grade --solution" "./lab test raft 2A --solution"; do
    in_root "$root" "cd labs && $refuse" >"$work/refuse.out" 2>&1 && status=0 || status=$?
    printf '%s\t%s\t%s\n' "$refuse" "$status" "$(grep -c . "$work/refuse.out")" \
      >>"$work/handout-refusals.txt"
    cat "$work/refuse.out" >>"$work/handout-refusals.txt"
  done
  git clone -q --no-hardlinks "$LAB_ROOT" "$root/root/distlabs"
  timed "bookworm:install g++-11" "$log" \
    in_root "$root" "apt-get install -y -q --no-install-recommends g++-11" || return 1
  # The reference suites (Raft, MapReduce) built by GCC 11; Boost is Debian 12's default
  # 1.74, as ./lab installed it. Every graded Raft test runs on one seed; of MapReduce, the
  # tests that exercise the Boost.Asio RPC layer (the others test the same code's logic).
  timed "bookworm:floor build" "$work/floor.out" in_root "$root" \
    "cd distlabs && CXX=g++-11 cmake --preset debug && cmake --build --preset debug -j\$LAB_JOBS \
      --target raft_reference_tests mapreduce_tests mrcoordinator_solution mrworker_solution" ||
    return 1
  timed "bookworm:floor run" "$work/floor.out" in_root "$root" \
    "cd distlabs/build/debug && bin/raft_reference_tests --seed 1 \
      && TMPDIR=\$PWD bin/mapreduce_tests --solution --jobs 3 wc indexer 'rpc garbage'"
}

echo "== making a handout (./lab handout --no-build) for the Debian 12 student"
if ! ./lab handout "$work/handout" --no-build >"$work/handout-make.out" 2>&1; then
  fail "./lab handout failed:"
  tail -20 "$work/handout-make.out"
  exit 1
fi
ok "./lab handout wrote a git repository ($(git -C "$work/handout" rev-list --count HEAD) commit)"

echo "== two fresh systems at once (logs in build/fresh-system/ while this step runs)"
start=$SECONDS
trixie >"$work/trixie.log" 2>&1 &
trixie_pid=$!
bookworm >"$work/bookworm.log" 2>&1 &
bookworm_pid=$!
trixie_status=0
bookworm_status=0
wait "$trixie_pid" || trixie_status=$?
wait "$bookworm_pid" || bookworm_status=$?
trixie_pid="" bookworm_pid=""  # reaped: the clean-up must not signal these numbers
echo "   both done after $(((SECONDS - start) / 60))m$(((SECONDS - start) % 60))s"

# --- what each part must show ----------------------------------------------------------------
has() {  # has FILE PATTERN DESCRIPTION: FILE has a line matching the extended regex PATTERN
  if grep -qE -- "$2" "$1" 2>/dev/null; then
    ok "$3"
  else
    fail "$3 (no /$2/ in ${1#"$LAB_ROOT"/})"
  fi
}
status_is() {  # status_is FILE WANT DESCRIPTION: the exit status recorded in FILE (none: 0)
  local got=0
  [[ ! -s "$1" ]] || got="$(sed -n 's/^exit //p' "$1" | tail -1)"
  if [[ "$got" == "$2" ]]; then ok "$3"; else fail "$3 (exit status $got, expected $2)"; fi
}
# Every test row of a grade table has its reason line under it, and it starts with the cause
# (never with a hint: the seed, the replay command or the debug log).
every_test_has_a_cause() {  # every_test_has_a_cause FILE DESCRIPTION
  local rows reasons
  # A row: part, test, then "passed" as runs/planned (parts may be words: "challenge").
  rows="$(grep -cE '^  \S+ +\S.* [0-9]+/[0-9]+( |$)' "$1" || true)"
  reasons="$(grep -E '^      -> ' "$1" | grep -cvE '^      -> (failed: )?(seed|replay|debug log)' ||
    true)"
  if ((rows > 0 && rows == reasons)); then
    ok "$2 ($rows tests)"
  else
    fail "$2 ($rows tests, $reasons reasons that start with the cause)"
  fi
}
# Prints a log's end when a part failed, to see why.
show_end() { echo "---- end of ${1#"$LAB_ROOT"/}:"; tail -25 "$1" 2>/dev/null | sed 's/^/    /'; }

echo "== Debian 13: the README's ./lab grade, from nothing"
if ((trixie_status != 0)); then
  fail "the Debian 13 root could not be made or prepared (exit $trixie_status)"
  show_end "$work/trixie.log"
else
  out="$work/trixie-grade.out"
  status_is "$work/trixie-grade.status" 1 "./lab grade on the stubs exits 1 (points lost)"
  has "$out" '^  score: 0 / 100$' "Raft scores 0 / 100"
  has "$out" '^Lab 1: MapReduce' "MapReduce is graded too"
  every_test_has_a_cause "$out" "under every test, the reason starts with its cause"
  has "$out" '^      -> failed: not implemented: Raft::GetState \(2A\)' \
    "the Raft stubs' reason names the function to write"
  has "$out" 'virtual s +max +wall s' "Raft's times are virtual seconds, wall time beside"
  has "$out" '^  debug log: off; to get one' "the debug-log hint follows on a line of its own"
  comm -13 "$work/trixie-before.txt" "$work/trixie-after.txt" >"$work/trixie-installed.txt"
  count="$(wc -l <"$work/trixie-installed.txt")"
  if grep -qxE 'chromium|clang-format|clang-tidy|clang-[0-9]+|llvm-[0-9]+' \
    "$work/trixie-installed.txt"; then
    fail "./lab grade installed a browser or a linter:"
    grep -xE 'chromium|clang.*|llvm.*' "$work/trixie-installed.txt" | head
  else
    ok "./lab grade installed $count packages, no browser or linter; they are:"
    fmt -w 96 "$work/trixie-installed.txt" | sed 's/^/        /'
  fi
  grep -qE '^  score: 0 / 100$' "$out" 2>/dev/null || show_end "$out"
  out="$work/trixie-solution.out"
  status_is "$work/trixie-solution.status" 0 "./lab grade --solution exits 0"
  has "$out" '^  score: 100 / 100$' "the reference Raft gets 100 / 100"
  # Every lab with a manifest, each out of its own points: the total's two sides are equal.
  has "$out" '^TOTAL ([0-9]+) / \1$' "full marks in total"
  grep -qE '^TOTAL ([0-9]+) / \1$' "$out" 2>/dev/null || show_end "$out"
fi

echo "== Debian 12: the handout's README, from nothing"
out="$work/handout-test.out"
if [[ ! -s "$out" ]]; then
  fail "the Debian 12 root could not be made (exit $bookworm_status)"
  show_end "$work/bookworm.log"
else
  status_is "$work/handout-test.status" 1 "./lab test raft 2A on the stubs exits 1"
  has "$out" 'not implemented: Raft::GetState \(2A\)' "and names Raft::GetState (2A)"
  has "$out" 'replay with: \./lab test raft "TestInitialElection2A" --seed [0-9]+' \
    "and prints the replay command"
  out="$work/handout-grade.out"
  status_is "$work/handout-grade.status" 1 "./lab grade on the stubs exits 1"
  has "$out" '^  score: 0 / 100$' "Raft scores 0 / 100"
  every_test_has_a_cause "$out" "under every test, the reason starts with its cause"
  while IFS=$'\t' read -r command status lines; do
    if [[ "$status" == 2 && "$lines" == 1 ]]; then
      ok "in the handout, '$command' refuses in one line (exit 2)"
    else
      fail "in the handout, '$command': exit $status, $lines lines (expected 2, 1)"
    fi
  done < <(grep -P '\t' "$work/handout-refusals.txt" || true)
  has "$work/handout-refusals.txt" 'which a student handout does not include' \
    "the refusal says what the handout lacks"
fi

echo "== Debian 12 with GCC 11 and Boost 1.74 (the toolchain floor): the reference suites"
out="$work/floor.out"
if grep -q '^bookworm:floor run: .* exit status 0$' "$work/times" 2>/dev/null; then
  has "$out" '^-- Found Boost 1\.74\.' "Boost 1.74 was the one found"
  has "$out" 'GNU 11\.' "the compiler was GCC 11"
  ok "the reference Raft and MapReduce pass on GCC 11 + Boost 1.74"
else
  fail "the floor build or its run failed"
  show_end "$out"
fi

echo "== times (seconds, exit status)"
sed 's/^/   /' "$work/times" 2>/dev/null || true
echo "$passed passed, $failed failed"
((failed == 0))
