# Helpers for a lab's selftest step (tools/selftest.d/3x-<lab>.sh): build the suite, the
# reference and the mutants; check that the stubs fail fast and clearly, that the reference
# passes, and that every mutant is caught. Source it after setting:
#   bin      the directory of the test binaries     scratch  a temporary directory
#   failed   0 (set to 1 by any failed check)
# Each check prints one "ok" or "FAIL" line (with the evidence on FAIL).

# run OUTPUT SECONDS COMMAND...: runs under a timeout, returns the exit status.
run() {
  local out=$1 limit=$2
  shift 2
  set +e
  timeout -k 5s "${limit}s" "$@" >"$out" 2>&1
  local status=$?
  set -e
  return "$status"
}

# build_targets BUILD_DIR TARGET...: builds the targets or ends the step with the build's end.
build_targets() {
  local dir=$1
  shift
  if ! cmake --build "$dir" --target "$@" -j "${LAB_JOBS:-2}" >"$scratch/build.out" 2>&1; then
    echo "FAIL  building $*:"
    tail -40 "$scratch/build.out" | sed 's/^/      | /'
    exit 1
  fi
  echo "ok    built $# targets in $dir"
}

# build_preset PRESET TARGET...: configures build/PRESET if needed and builds the targets.
build_preset() {
  local preset=$1 start=$SECONDS
  shift
  if ! { { [[ -f "$LAB_ROOT/build/$preset/CMakeCache.txt" ]] || cmake --preset "$preset"; } &&
         cmake --build --preset "$preset" --target "$@" -j "${LAB_JOBS:-2}"; } \
      >"$scratch/$preset-build.out" 2>&1; then
    echo "FAIL  building $* with the $preset preset:"
    tail -40 "$scratch/$preset-build.out" | sed 's/^/      | /'
    exit 1
  fi
  echo "ok    $preset build of $* ($((SECONDS - start)) s)"
}

# check_stubs BINARY COUNT MAX_SECONDS FUNCTION...: every one of the COUNT tests fails on the
# student stubs within MAX_SECONDS, and the failures name each FUNCTION as not implemented.
check_stubs() {
  local binary=$1 count=$2 max=$3 start=$SECONDS status=0
  shift 3
  if grep -q '^LAB_SOLUTION:BOOL=ON' "$LAB_BUILD_DIR/CMakeCache.txt"; then
    echo "skip  $LAB_BUILD_DIR builds the solution (LAB_SOLUTION=ON), not the stubs"
    return
  fi
  run "$scratch/stubs.out" $((max * 2)) "$binary" --seed 1 || status=$?
  local elapsed=$((SECONDS - start)) bad=0
  local summary
  summary=$(grep -E '^test cases:' "$scratch/stubs.out" || true)
  if ((status != 0)) && [[ "$summary" =~ test\ cases:\ +$count\ \|\ +$count\ failed ]]; then
    echo "ok    all $count tests fail on the stubs (${elapsed} s)"
  else
    echo "FAIL  expected all $count tests to fail on the stubs; got \"$summary\" (exit $status, ${elapsed} s)"
    bad=1
  fi
  local fn
  for fn in "$@"; do
    if grep -qF "not implemented: $fn" "$scratch/stubs.out"; then
      echo "ok    the failures name $fn"
    else
      echo "FAIL  no \"not implemented: $fn\" in the stubs' output"
      bad=1
    fi
  done
  if ((elapsed > max)); then
    echo "FAIL  the stubs took ${elapsed} s to fail (expected at most $max s)"
    bad=1
  fi
  if ((bad)); then
    tail -30 "$scratch/stubs.out" | sed 's/^/      | /'
    failed=1
  fi
}

# check_reference LABEL REPORT_REGEX SECONDS COMMAND...: runs a reference test binary; prints
# ok, or FAIL with the lines around the first failure or match of REPORT_REGEX (a sanitizer's
# report).
check_reference() {
  local label=$1 report=$2 limit=$3 start=$SECONDS
  local out
  out="$(mktemp "$scratch/check.XXXX")"
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

# check_mutants LAB ROW...: each ROW is "name|tests (a Catch2 test spec)|seeds|how many of
# those seeds must fail|a message (grep -E; may hold '|') the failure must show". Runs
# bin/LAB_mutant_<name>_tests on the tests with each seed; a spec ending in "@<strategy>"
# runs them with that schedule strategy (--strategy).
check_mutants() {
  local lab=$1 row name spec seeds need message seed out caught strategy
  shift
  for row in "$@"; do
    IFS='|' read -r name spec seeds need message <<<"$row"
    # "spec@strategy": run with that schedule strategy (labrpc/runtime/strategy.h).
    strategy=()
    if [[ "$spec" == *@* ]]; then
      strategy=(--strategy "${spec##*@}")
      spec=${spec%@*}
    fi
    caught=0
    local details=()
    for seed in $seeds; do
      out="$scratch/mutant-$name-$seed.out"
      if run "$out" 600 "$bin/${lab}_mutant_${name}_tests" "$spec" --seed "$seed" \
        "${strategy[@]+"${strategy[@]}"}"; then
        details+=("seed $seed: passed")
      elif grep -qE -- "$message" "$out"; then
        caught=$((caught + 1))
        details+=("seed $seed: caught")
      else
        details+=("seed $seed: failed without the expected message")
      fi
    done
    if ((caught >= need)); then
      echo "ok    $name: $spec${strategy[1]:+ (strategy ${strategy[1]})} fails on $caught of [$seeds] (need $need): ${details[*]}"
    else
      echo "FAIL  $name: $spec${strategy[1]:+ (strategy ${strategy[1]})} fails as expected on only $caught of [$seeds] (need $need): ${details[*]}"
      echo "      expected a failure matching: $message"
      for seed in $seeds; do
        { grep -E -A6 'FAILED' "$scratch/mutant-$name-$seed.out" || true; } | head -14 |
          sed "s/^/      | seed $seed: /"
      done
      failed=1
    fi
  done
}

# mutant_targets LAB ROW...: the build targets of the mutants in the rows.
mutant_targets() {
  local lab=$1 row
  shift
  for row in "$@"; do echo "${lab}_mutant_${row%%|*}_tests"; done
}
