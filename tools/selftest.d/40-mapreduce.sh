#!/usr/bin/env bash
# Selftest step: the MapReduce lab (lab 1), which runs as real processes.
#
# 1. The student stubs fail fast and clearly: mapreduce_tests on the debug build (student
#    files) must fail within 90 s, print "*** FAILED SOME TESTS", name both stubs ("not
#    implemented: Coordinator::Done", "not implemented: mr::Worker") and the hint.
# 2. The reference solution passes the whole driver once: the debug build also builds it as
#    mrcoordinator_solution / mrworker_solution (mapreduce/CMakeLists.txt), so no second
#    build tree is needed; `mapreduce_tests --solution --jobs 4` runs the eight tests four at
#    a time, each with its own directory and socket.
# Needs the debug build (LAB_BUILD_DIR), already built by ./lab selftest.
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"

driver="$LAB_BUILD_DIR/bin/mapreduce_tests"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=0

if [[ ! -x "$driver" || ! -x "$LAB_BUILD_DIR/bin/mrcoordinator_solution" ]]; then
  echo "FAIL  $driver or the reference programs are missing (build the debug preset)"
  exit 1
fi

echo "== the student stubs fail fast with a clear message"
start=$SECONDS
set +e
TMPDIR="$scratch" timeout -k 5s 90s "$driver" >"$scratch/stubs.out" 2>&1
status=$?
set -e
elapsed=$((SECONDS - start))
expect() {  # expect DESCRIPTION PATTERN: the stub run's output contains PATTERN
  if grep -qF -- "$2" "$scratch/stubs.out"; then
    echo "ok    $1"
  else
    echo "FAIL  $1 (no \"$2\" in the output)"
    failed=1
  fi
}
if ((status == 1)); then
  echo "ok    the driver exits with status 1 on the stubs (after ${elapsed} s)"
else
  echo "FAIL  the driver exited with status $status on the stubs (expected 1, after ${elapsed} s)"
  failed=1
fi
expect "it says so at the end" "*** FAILED SOME TESTS"
expect "it names the coordinator stub" "not implemented: Coordinator::Done"
expect "it names the worker stub" "not implemented: mr::Worker"
expect "it points to the lab guide" "hint: the student stubs are still in place"
if ((failed)); then
  sed 's/^/      | /' "$scratch/stubs.out" | tail -40
fi

echo "== the reference solution passes every test"
start=$SECONDS
set +e
TMPDIR="$scratch" timeout -k 5s 600s "$driver" --solution --jobs 4 >"$scratch/ref.out" 2>&1
status=$?
set -e
elapsed=$((SECONDS - start))
if ((status == 0)) && grep -qF "*** PASSED ALL TESTS" "$scratch/ref.out"; then
  echo "ok    mapreduce_tests --solution --jobs 4 passed in ${elapsed} s"
  grep -E '^    [a-z ]+ +PASS' "$scratch/ref.out" || true
else
  echo "FAIL  mapreduce_tests --solution --jobs 4 (exit status $status after ${elapsed} s):"
  sed 's/^/      | /' "$scratch/ref.out" | tail -80
  failed=1
fi
exit "$failed"
