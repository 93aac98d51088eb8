#!/usr/bin/env bash
# Selftest step: shardkv (lab 4B and its challenges; its binary also holds 4A's two tests, so
# that labs/shardkv.json grades the whole lab). Proves the graded suite is both passable and
# strong. (34-shardctrler.sh checks 4A's mutants.)
#
# 1. The student stubs fail all 15 tests within seconds. The first call a 4B test makes is the
#    controller's Join, so with the 4A stubs in the tree the failures name Clerk::Join (4A):
#    lab 4B runs on the student's own shard controller, as in the original.
# 2. The reference (shardkv/solution on shardkv/shardctrler/solution and raft/solution) passes
#    all 15 tests, and replays exactly (--check-determinism).
# 3. Every mutant (shardkv/mutants/<name>.patch) is caught by the test listed below, with the
#    expected message, on every listed seed (shardkv/mutants/README.md).
# Needs the debug build (LAB_BUILD_DIR, configured by ./lab selftest).
# Environment: LAB_SHARDKV_SEEDS overrides the reference's seeds (default "1"; many seeds are
# a release-build job, about 2 s each:
# for s in $(seq 1 100); do build/release/bin/shardkv_reference_tests --seed $s || break; done).
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"
source tools/lib/selftest_lab.sh

bin="$LAB_BUILD_DIR/bin"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=0
reference_seeds=${LAB_SHARDKV_SEEDS:-"1"}

# name | tests that must catch it | seeds | how many must fail | the message (grep -E).
# Each was caught on every listed seed when written.
mutants=(
  "serve_before_arrival|TestConcurrent2_4B|1 2 3|3|writes the clerk saw succeed are missing"
  "serve_after_handoff|TestJoinLeave4B|1 2 3|3|writes the clerk saw succeed are missing"
  "dedup_not_moved|TestUnreliable2_4B|1 2 3|3|an Append was applied twice"
  "skip_configs|TestConcurrent1_4B|1 2 3|3|take configurations one at a time"
  "never_delete|TestChallenge1Delete|1 2 3|3|snapshot \\+ persisted Raft state are too big"
)

echo "== building the suite, the reference and the mutants"
# shellcheck disable=SC2046
build_targets "$LAB_BUILD_DIR" shardkv_tests shardkv_reference_tests shardkv_unit_tests \
  $(mutant_targets shardkv "${mutants[@]}")

echo "== the student stubs fail every test, fast and clearly"
check_stubs "$bin/shardkv_tests" 15 60 "Clerk::Join" "Clerk::Query"

echo "== the reference passes every test (seeds: $reference_seeds)"
for seed in $reference_seeds; do
  check_reference "seed $seed" 'FAILED' 600 "$bin/shardkv_reference_tests" --seed "$seed"
done
check_reference "determinism" 'FAILED|not deterministic' 600 \
  "$bin/shardkv_reference_tests" "TestConcurrent3_4B" --seed 7 --check-determinism
# swarm turns pct and jitter on and off per seed (labrpc/runtime/strategy.h; seed 13: both on):
# the reference passes under it too (bench/explore_mutants.py --reference runs many more).
check_reference "seed 13 --strategy swarm" 'FAILED' 600 "$bin/shardkv_reference_tests" --seed 13 \
  --strategy swarm

echo "== every mutant is caught"
check_mutants shardkv "${mutants[@]}"
exit "$failed"
