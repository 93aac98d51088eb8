#!/usr/bin/env bash
# Selftest step: the real backend (OS threads, real time; docs/architecture.md, "Backends").
#
#   1. the labrpc suite on the real backend, from the debug build: bin/labrpc_tests --real
#      (every test not tagged [sim]: the 6.824 labrpc ports, the runtime and cancellation tests)
#   2. the same suite built with ThreadSanitizer (the tsan preset, build/tsan) and run on the
#      real backend with halt_on_error=1, so that any data race or lock-order report fails the
#      step; then the hidden [tsan] test, which checks that a missing lock *is* reported on the
#      real backend (and not in the simulator)
# Each run uses a fresh random seed (printed); on the real backend the seed fixes lab::rand and
# the network's draws, not the schedule. Prints the time of each part.
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"

jobs="${LAB_JOBS:-$(nproc 2>/dev/null || echo 2)}"
seed="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
status=0

echo "== real backend: labrpc suite on OS threads (debug build, seed $seed)"
start=$SECONDS
if "$LAB_BUILD_DIR/bin/labrpc_tests" --real --seed "$seed"; then
  echo "ok    labrpc_tests --real ($((SECONDS - start)) s)"
else
  echo "FAIL  labrpc_tests --real --seed $seed ($((SECONDS - start)) s)"
  status=1
fi

echo "== real backend under ThreadSanitizer: build the tsan preset (labrpc_tests only)"
start=$SECONDS
if ! { cmake --preset tsan >/dev/null &&
       cmake --build --preset tsan --target labrpc_tests -j "$jobs"; }; then
  echo "FAIL  building labrpc_tests with the tsan preset ($((SECONDS - start)) s)"
  exit 1
fi
echo "ok    tsan build ($((SECONDS - start)) s)"

tsan_bin="$LAB_ROOT/build/tsan/bin/labrpc_tests"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
echo "== real backend under ThreadSanitizer: labrpc suite (seed $seed)"
start=$SECONDS
if "$tsan_bin" --real --seed "$seed"; then
  echo "ok    tsan labrpc_tests --real ($((SECONDS - start)) s)"
else
  echo "FAIL  tsan labrpc_tests --real --seed $seed ($((SECONDS - start)) s)"
  status=1
fi
start=$SECONDS
if "$tsan_bin" --real --seed "$seed" "[tsan]"; then
  echo "ok    ThreadSanitizer reports a missing lock on the real backend ($((SECONDS - start)) s)"
else
  echo "FAIL  tsan labrpc_tests --real \"[tsan]\" ($((SECONDS - start)) s)"
  status=1
fi
exit $status
