#!/usr/bin/env bash
# Selftest step: the grader (grading/grader/, docs/en/instructors.md).
#
#   1. the grader's Python tests: manifests, plans and shards, the completion channel and
#      verdicts, results.json against Gradescope's field list, JUnit, merging shards, Ctrl-C,
#      hidden tests in their own binary, runs isolated as grading users (as root), the
#      handout's leak check on a fake repository, submit; and the Gradescope autograder run in
#      a faked /autograder layout with honest and hostile submissions
#      (grading/tests/hostile_submissions/; it builds the fake lab twice there, and needs
#      root: GRADER_SLOW_TESTS=1);
#   2. deliberately hostile tests (grading/tests/hostile_tests.cpp, linked with the real test
#      main): exit(0), a printed fake pass, a forged record, crashes, a hang, runaway memory,
#      an output flood each score zero with their reason, and the honest tests still pass;
#   3. `./lab handout` of this repository into a temporary folder: leak check, build of the
#      labrpc suite, one quick test with the handout's own grader;
#   4. Raft: the stubs score zero with a reason for every test; the reference (built in this
#      tree as raft_reference_tests) scores full marks.
# Needs the debug build (LAB_BUILD_DIR).
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PYTHONPATH="$LAB_ROOT/grading" PYTHONDONTWRITEBYTECODE=1
failed=0

step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok    %s\n' "$*"; }
fail() {
  printf 'FAIL  %s\n' "$*"
  failed=$((failed + 1))
}

# check_results FILE PYTHON-EXPRESSION DESCRIPTION: evaluates the expression with `doc` (the
# results.json) and `tests` (name -> test entry) bound; prints what differs on failure.
check_results() {
  local file=$1 expr=$2 what=$3
  if python3 - "$file" "$expr" <<'EOF'; then ok "$what"; else fail "$what"; fi
import json, re, sys
doc = json.load(open(sys.argv[1]))
tests = {t["name"]: t for t in doc["tests"]}
if not eval("(" + sys.argv[2] + ")"):
    for t in doc["tests"]:
        print(f"      {t['name']}: {t['score']}/{t['max_score']} {t['output'].splitlines()[:2]}")
    sys.exit(1)
EOF
}

grade() { python3 -m grader grade --no-build --build-dir "$LAB_BUILD_DIR" --quiet "$@"; }

step "1. the grader's Python tests (with the Gradescope autograder, which builds)"
if GRADER_SLOW_TESTS=1 python3 -m unittest discover -s grading/tests -t grading/tests; then
  ok "python tests"
else
  fail "python tests"
fi

step "2. hostile tests: each scores zero, with its reason"
cmake --build "$LAB_BUILD_DIR" --target grader_fake_tests grader_fake_hidden_tests >/dev/null
grade --manifest grading/tests/grader_fake.json --seed 1 --results "$scratch/hostile.json" \
  --logs "$scratch/hostile-logs" >"$scratch/hostile.txt" || true
check_results "$scratch/hostile.json" \
  'tests["TestHonestPass"]["score"] == 1 and tests["TestHiddenSample"]["score"] == 1' \
  "honest tests pass (the hidden example runs from its own binary)"
while IFS='|' read -r name words; do
  check_results "$scratch/hostile.json" \
    "tests['$name']['score'] == 0 and '''$words''' in tests['$name']['output']" \
    "$name: zero, \"$words\""
done <<'EOF'
TestHonestFail|failed: REQUIRE( leader >= 0 )
TestExitZeroInTask|exited with status 0 before the test finished
TestExitZero|exited with status 0 before the test finished
TestFakePassLine|exited with status 0 before the test finished
TestForgeRecord|wrong nonce
TestAbort|crashed with SIGABRT
TestSegfault|crashed with SIGSEGV
TestHang|timed out
TestRunawayMemory|memory limit of 256 MiB reached
TestRunawayMemoryInTask|memory limit of 256 MiB reached
TestOutputFlood|SIGXFSZ
TestCrashAfterPass|the test passed, but then the process crashed
EOF

step "3. ./lab handout: leak check, build, quick test"
if python3 -m grader handout "$scratch/handout" --targets labrpc_tests -j "${LAB_JOBS:-2}" \
  >"$scratch/handout.txt" 2>&1; then
  ok "handout: $(grep -o 'leak check: clean.*' "$scratch/handout.txt" | head -1)"
else
  fail "handout"
  tail -20 "$scratch/handout.txt" | sed 's/^/      /'
fi

# grade_lab LAB COUNT STEP_TITLE: zero with a reason per test on the stubs, full marks for the
# reference (bin/<lab>_reference_tests, from the same tree).
grade_lab() {
  local lab=$1 count=$2
  step "$3"
  if [[ ! -x "$LAB_BUILD_DIR/bin/${lab}_tests" ]]; then
    fail "$lab: $LAB_BUILD_DIR/bin/${lab}_tests is missing"
    return
  fi
  grade "$lab" --runs 1 --results "$scratch/$lab-stubs.json" --logs "$scratch/$lab-stub-logs" \
    >"$scratch/$lab-stubs.txt" || true
  # Each test's output names its failing run: "run 1 (seed S): <reason>".
  check_results "$scratch/$lab-stubs.json" \
    "doc[\"score\"] == 0 and len(tests) == $count and
     all(re.search(r\"\\(seed \\d+\\): \\S\", t[\"output\"]) for t in tests.values())" \
    "$lab stubs: 0 points, a reason for each of the $count tests"
  if cmake --build "$LAB_BUILD_DIR" --target "${lab}_reference_tests" >/dev/null 2>&1; then
    grade "$lab" --runs 1 --binary "$LAB_BUILD_DIR/bin/${lab}_reference_tests" \
      --results "$scratch/$lab-reference.json" --logs "$scratch/$lab-reference-logs" \
      >"$scratch/$lab-reference.txt" || true
    check_results "$scratch/$lab-reference.json" 'doc["score"] == 100' "$lab reference: 100 points"
  else
    fail "$lab reference: ${lab}_reference_tests does not build"
  fi
}

grade_lab raft 30 "4. raft: zero on the stubs, full marks for the reference"
grade_lab kvraft 23 "5. kvraft: zero on the stubs, full marks for the reference"
grade_lab shardkv 15 "6. shardkv (4A, 4B and the challenges): zero on the stubs, full marks for the reference"

if ((failed == 0)); then
  printf '\n70-grader: all checks passed\n'
else
  printf '\n70-grader: %s check(s) failed\n' "$failed"
fi
[[ $failed == 0 ]]
