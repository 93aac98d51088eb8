#!/usr/bin/env bash
# Selftest step: Raft (lab 2). Proves the graded suite is both passable and strong.
#
# 1. The student stubs fail fast and clearly: on the debug build (student files) every one of
#    the 28 tests fails, within seconds, naming the function still to write
#    ("not implemented: Raft::...").
# 2. The reference solution passes all 28 tests on a few seeds (bin/raft_reference_tests: the
#    suite linked against raft/solution, built in the same debug tree).
# 3. Every mutant (raft/mutants/<name>.patch, a classic bug planted in a copy of the reference)
#    is caught: the tests listed for it below fail, with the expected message, on enough of
#    the listed seeds. A mutant that survives means the suite lost its teeth. A Raft that saves
#    nothing fails all 8 2C tests; the stub Persist fails them too, and none of 2A and 2B.
#    The debug log carries the tester's actions and the RPCs (topics tester and rpc).
# 4. The reference under AddressSanitizer + UBSan (the asan preset, build/asan), graded and
#    extra tests on the first seed: crashes and restarts destroy Rafts while their tasks are
#    cancelled, so this is where a use-after-free in the runtime or the tester would show.
# 5. The reference on the real backend (OS threads, real time) under ThreadSanitizer (the tsan
#    preset, build/tsan): all 28 tests, about 6 minutes of real time, no report allowed. It
#    proves the suite passes outside the simulator too, and that the tester, the tests and the
#    reference have no data race (it found one in a port of a test).
# Needs the debug build (LAB_BUILD_DIR, configured by ./lab selftest); builds the extra
# binaries of steps 2-3 in it (they are not part of the default build).
# Environment: LAB_RAFT_SEEDS overrides the reference's seeds (default "1 2 3").
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"

bin="$LAB_BUILD_DIR/bin"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=0
reference_seeds=${LAB_RAFT_SEEDS:-"1 2 3"}

# The mutants: name | tests that must catch it (a Catch2 test spec) | seeds |
# how many of those seeds must fail | a message (grep -E) the failure must show.
# The simulator is deterministic, so each row is reproducible; the thresholds leave room for
# schedule changes in the reference or the tester (measured rates are in the comments).
mutants=(
  "fixed_election_timeout|TestUnreliableAgree2C,TestFigure8Unreliable2C|1 2 3 4 5|3|failed to reach agreement"
  "vote_twice|TestOneVotePerTerm2C|1 2 3|3|\\(>1\\) leaders"
  "figure8_commit|TestFigure8Scenario2C|1 2 3|3|apply error|committed values do not match"
  "forget_voted_for|TestOneVotePerTerm2C|1 2 3|3|\\(>1\\) leaders"
  "truncate_always|TestUnreliableAgree2C,TestSnapshotInstallUnreliable2D|1 2 3|3|failed to reach agreement|apply error|committed values do not match"
  "heartbeat_flood|TestCount2B|1 2 3|3|too many RPCs \\([0-9]+\\) for 1 second of idleness"
  "no_snapshot_restore|TestSnapshotInit2D|1 2 3|3|snapshot"
  "apply_holding_lock|TestSnapshotBasic2D|1 2 3|3|test took longer than 120 seconds|failed to reach agreement|only [0-9]+ decided"
  # The classic student bugs of issue 17, each with the report it must get (the whole
  # reports are checked by labrpc's [diagnostics] tests; here, that Raft gets them).
  "persist_nothing|[2C]|1 2 3|3|persistence: entries up to index"
  # (Catch2 wraps the message at 80 columns, here after "not implemented:".)
  "persist_stub|[2C]|1 2|2|Raft::Persist \\(2C\\); see its TODO"
  "polling_ticker|TestInitialElection2A|1 2|2|livelock: the virtual clock has stood still"
  "real_sleep|TestInitialElection2A|1 2 3|3|real sleep in simulated code: task 'ticker'"
  "lock_across_call|TestManyElections2A|1 2 3|3|blocked in Call Raft.RequestVote"
)

run() {  # run OUTPUT SECONDS COMMAND...: runs under a timeout, returns the exit status
  local out=$1 limit=$2
  shift 2
  set +e
  timeout -k 5s "${limit}s" "$@" >"$out" 2>&1
  local status=$?
  set -e
  return "$status"
}

# check_reference LABEL REPORT_REGEX SECONDS COMMAND...: runs a reference test binary;
# prints ok, or FAIL with the lines around the first failure or match of REPORT_REGEX (a
# sanitizer's report).
checks=0
check_reference() {
  local label=$1 report=$2 limit=$3 start=$SECONDS
  checks=$((checks + 1))
  local out="$scratch/check-$checks.out"
  shift 3
  if run "$out" "$limit" "$@"; then
    echo "ok    $label: $(grep -E '^test cases:' "$out") ($((SECONDS - start)) s)"
  else
    echo "FAIL  $label: the reference failed:"
    { grep -E -B2 -A30 "$report|FAILED" "$out" || tail -30 "$out"; } | head -80 |
      sed 's/^/      | /'
    failed=1
  fi
}

echo "== building the reference suite and the mutants"
targets=(raft_tests raft_reference_tests)
for row in "${mutants[@]}"; do
  targets+=("raft_mutant_${row%%|*}_tests")
done
if ! cmake --build "$LAB_BUILD_DIR" --target "${targets[@]}" -j "${LAB_JOBS:-2}" \
    >"$scratch/build.out" 2>&1; then
  echo "FAIL  building ${targets[*]}:"
  tail -40 "$scratch/build.out" | sed 's/^/      | /'
  exit 1
fi
echo "ok    built ${#targets[@]} test binaries"

echo "== the student stubs fail every test, fast and clearly"
if grep -q '^LAB_SOLUTION:BOOL=ON' "$LAB_BUILD_DIR/CMakeCache.txt"; then
  echo "skip  $LAB_BUILD_DIR builds the solution (LAB_SOLUTION=ON), not the stubs"
else
  start=$SECONDS
  status=0
  run "$scratch/stubs.out" 120 "$bin/raft_tests" --seed 1 || status=$?
  elapsed=$((SECONDS - start))
  summary=$(grep -E '^test cases:' "$scratch/stubs.out" || true)
  if ((status != 0)) && [[ "$summary" =~ test\ cases:\ +28\ \|\ +28\ failed ]]; then
    echo "ok    all 28 tests fail on the stubs (${elapsed} s)"
  else
    echo "FAIL  expected all 28 tests to fail on the stubs; got \"$summary\" (exit $status, ${elapsed} s)"
    failed=1
  fi
  for fn in GetState Start; do
    if grep -qF "not implemented: Raft::$fn" "$scratch/stubs.out"; then
      echo "ok    the failures name Raft::$fn"
    else
      echo "FAIL  no \"not implemented: Raft::$fn\" in the stubs' output"
      failed=1
    fi
  done
  if ((elapsed > 60)); then
    echo "FAIL  the stubs took ${elapsed} s to fail (expected seconds)"
    failed=1
  fi
  ((failed == 0)) || tail -30 "$scratch/stubs.out" | sed 's/^/      | /'
fi

echo "== the reference solution passes every test (seeds: $reference_seeds)"
# The graded tests, then the hidden extra ones ([extra]: the Figure 8 and one-vote scenarios).
for seed in $reference_seeds; do
  check_reference "seed $seed" 'FAILED' 600 "$bin/raft_reference_tests" --seed "$seed"
  check_reference "seed $seed [extra]" 'FAILED' 600 "$bin/raft_reference_tests" "[extra]" \
    --seed "$seed"
done

echo "== every mutant is caught"
for row in "${mutants[@]}"; do
  # The last field keeps its '|'s: the message may list alternatives.
  IFS='|' read -r name spec seeds need message <<<"$row"
  caught=0
  details=()
  for seed in $seeds; do
    out="$scratch/mutant-$name-$seed.out"
    if run "$out" 600 "$bin/raft_mutant_${name}_tests" "$spec" --seed "$seed"; then
      details+=("seed $seed: passed")
    elif grep -qE -- "$message" "$out"; then
      caught=$((caught + 1))
      details+=("seed $seed: caught")
    else
      details+=("seed $seed: failed without the expected message")
    fi
  done
  if ((caught >= need)); then
    echo "ok    $name: $spec fails on $caught of [$seeds] (need $need): ${details[*]}"
  else
    echo "FAIL  $name: $spec fails as expected on only $caught of [$seeds] (need $need): ${details[*]}"
    echo "      expected a failure matching: $message"
    for seed in $seeds; do
      { grep -E -A6 'FAILED' "$scratch/mutant-$name-$seed.out" || true; } | head -14 |
        sed "s/^/      | seed $seed: /"
    done
    failed=1
  fi
done

echo "== a Raft that saves nothing passes no 2C test; the stub Persist is silent before 2C"
# The table above proves each mutant is caught; these prove it for every 2C test, and that
# the stub does not fail the parts that come before it.
check_count() {  # check_count LABEL EXPECTED_SUMMARY_REGEX COMMAND...
  local label=$1 expected=$2 out="$scratch/count-$RANDOM.out"
  shift 2
  run "$out" 600 "$@" || true
  local summary
  summary=$(grep -E '^test cases:' "$out" || echo "no summary")
  if [[ "$summary" =~ $expected ]]; then
    echo "ok    $label: $summary"
  else
    echo "FAIL  $label: got \"$summary\", expected /$expected/"
    tail -30 "$out" | sed 's/^/      | /'
    failed=1
  fi
}
for seed in 1 2 3; do
  check_count "persist_nothing [2C] seed $seed: all 8 fail" 'test cases: +8 \| +8 failed' \
    "$bin/raft_mutant_persist_nothing_tests" "[2C]" --seed "$seed"
done
check_count "persist_stub [2C] seed 1: all 8 fail" 'test cases: +8 \| +8 failed' \
  "$bin/raft_mutant_persist_stub_tests" "[2C]" --seed 1
check_count "persist_stub [2A],[2B] seed 1: all 13 pass" 'test cases: +13 \| +13 passed' \
  "$bin/raft_mutant_persist_stub_tests" "[2A],[2B]" --seed 1

echo "== the debug log shows the tester's actions and each RPC (LAB_DEBUG=tester,rpc)"
out="$scratch/debug-log.out"
if LAB_DEBUG=tester,rpc run "$out" 120 "$bin/raft_reference_tests" TestFailAgree2B --seed 1; then
  for pattern in ' tester +tester +main: Begin: Test \(2B\)' ' tester .*: disconnect server [0-9]' \
      ' tester .*: Start\(101\) on server [0-9]: index 1, term [0-9]+' \
      ' rpc +server-[0-9] .*: Raft.AppendEntries to server .[0-9]. args \{' \
      ' rpc +server-[0-9] .*: Raft.RequestVote to server .[0-9]. reply \{'; do
    if grep -qE -- "$pattern" "$out"; then
      echo "ok    the log has /$pattern/"
    else
      echo "FAIL  no line matching /$pattern/ in the debug log"
      failed=1
    fi
  done
else
  echo "FAIL  the reference failed TestFailAgree2B with LAB_DEBUG=tester,rpc"
  tail -20 "$out" | sed 's/^/      | /'
  failed=1
fi

# build_reference PRESET: builds raft_reference_tests in build/PRESET (configuring it if
# needed); on failure prints the build's end and ends the step.
build_reference() {
  local preset=$1 start=$SECONDS
  if ! { { [[ -f "$LAB_ROOT/build/$preset/CMakeCache.txt" ]] || cmake --preset "$preset"; } &&
         cmake --build --preset "$preset" --target raft_reference_tests -j "${LAB_JOBS:-2}"; } \
      >"$scratch/$preset-build.out" 2>&1; then
    echo "FAIL  building raft_reference_tests with the $preset preset:"
    tail -40 "$scratch/$preset-build.out" | sed 's/^/      | /'
    exit 1
  fi
  echo "ok    $preset build ($((SECONDS - start)) s)"
}

sanitizer_seed=${reference_seeds%% *}
echo "== the reference under AddressSanitizer + UBSan (asan preset)"
build_reference asan
check_reference "asan seed $sanitizer_seed" 'ERROR: AddressSanitizer|runtime error:' 900 \
  "$LAB_ROOT/build/asan/bin/raft_reference_tests" --seed "$sanitizer_seed"
check_reference "asan seed $sanitizer_seed [extra]" 'ERROR: AddressSanitizer|runtime error:' 900 \
  "$LAB_ROOT/build/asan/bin/raft_reference_tests" "[extra]" --seed "$sanitizer_seed"

echo "== the reference on the real backend under ThreadSanitizer (tsan preset)"
build_reference tsan
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  check_reference "tsan --real seed $sanitizer_seed" 'WARNING: ThreadSanitizer' 1200 \
  "$LAB_ROOT/build/tsan/bin/raft_reference_tests" --real --seed "$sanitizer_seed"
exit "$failed"
