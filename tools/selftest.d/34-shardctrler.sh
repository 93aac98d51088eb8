#!/usr/bin/env bash
# Selftest step: shardctrler (lab 4A). Proves the graded suite is both passable and strong.
#
# 1. The student stubs fail both tests within seconds, naming Clerk::Query (the first call of
#    each test) as not implemented.
# 2. The reference (shardkv/shardctrler/solution on raft/solution) passes both tests, and
#    replays exactly (--check-determinism).
# 3. Every mutant (shardkv/shardctrler/mutants/<name>.patch) is caught by the test listed
#    below, with the expected message, on every listed seed (shardkv/shardctrler/mutants/
#    README.md).
# Needs the debug build (LAB_BUILD_DIR, configured by ./lab selftest).
# Environment: LAB_SHARDCTRLER_SEEDS overrides the reference's seeds (default "1 2"; many seeds
# take well under a second each: for s in $(seq 1 50); do
# build/release/bin/shardctrler_reference_tests --seed $s || break; done).
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"
source tools/lib/selftest_lab.sh

bin="$LAB_BUILD_DIR/bin"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=0
reference_seeds=${LAB_SHARDCTRLER_SEEDS:-"1 2"}

# name | tests that must catch it | seeds | how many must fail | the message (grep -E).
# Each was caught on every listed seed when written.
mutants=(
  "nondeterministic_rebalance|TestMulti4A|1 2 3|3|Shards wrong"
  "leave_moves_too_many|TestBasic4A|1 2 3|3|non-minimal transfer after Leave\\(\\)s"
  "extra_shard_by_gid|TestBasic4A|1 2 3|3|non-minimal transfer after Join\\(\\)s"
)

echo "== building the suite, the reference and the mutants"
# shellcheck disable=SC2046
build_targets "$LAB_BUILD_DIR" shardctrler_tests shardctrler_reference_tests \
  $(mutant_targets shardctrler "${mutants[@]}")

echo "== the student stubs fail every test, fast and clearly"
check_stubs "$bin/shardctrler_tests" 2 30 "Clerk::Query"

echo "== the reference passes every test (seeds: $reference_seeds)"
for seed in $reference_seeds; do
  check_reference "seed $seed" 'FAILED' 300 "$bin/shardctrler_reference_tests" --seed "$seed"
done
check_reference "determinism" 'FAILED|not deterministic' 300 \
  "$bin/shardctrler_reference_tests" --seed 7 --check-determinism
# swarm turns pct and jitter on and off per seed (labrpc/runtime/strategy.h; seed 13: both on):
# the reference passes under it too (bench/explore_mutants.py --reference runs many more).
check_reference "seed 13 --strategy swarm" 'FAILED' 300 "$bin/shardctrler_reference_tests" --seed 13 \
  --strategy swarm

echo "== every mutant is caught"
check_mutants shardctrler "${mutants[@]}"
exit "$failed"
