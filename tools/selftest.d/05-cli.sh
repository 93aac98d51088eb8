#!/usr/bin/env bash
# Selftest step: the ./lab command line itself.
#
# Checks that every wrong command line gets a one-line error plus the usage and exit status 2,
# that --help works for every command, that an unknown test suite lists the real ones, that a
# failing --runs loop prints its replay command, that extension commands (tools/commands/) are
# dispatched and listed, that a missing Debian package yields the exact apt-get command, that
# a student handout refuses the commands it cannot run in one line, and
# that ./lab's preset list matches CMakePresets.json. Needs the debug build (LAB_BUILD_DIR).
#
# Extension and dependency checks run in a scratch copy of ./lab and tools/, so that they never
# touch the repository.
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0

# run CMD... : runs a command, keeping its stdout, stderr and exit status for the checks below.
run() {
  last_cmd="$*"
  set +e
  "$@" >"$scratch/out" 2>"$scratch/err" </dev/null
  status=$?
  set -e
}

ok() {
  passed=$((passed + 1))
  printf 'ok    %s\n' "$1"
}

fail() {
  failed=$((failed + 1))
  printf 'FAIL  %s\n      command: %s (exit status %s)\n' "$1" "$last_cmd" "$status"
  sed -n '1,15s/^/      stdout: /p' "$scratch/out"
  sed -n '1,15s/^/      stderr: /p' "$scratch/err"
}

# expect DESCRIPTION STATUS [out|err REGEX]... : checks the last run.
expect() {
  local what=$1 want_status=$2
  shift 2
  if [[ "$status" != "$want_status" ]]; then
    fail "$what (wanted exit status $want_status)"
    return
  fi
  while (($# >= 2)); do
    if ! grep -qE -- "$2" "$scratch/$1"; then
      fail "$what (std$1 should match: $2)"
      return
    fi
    shift 2
  done
  ok "$what"
}

# A wrong command line: exit 2, the first stderr line is one "lab: error:" line, then usage.
expect_usage_error() {
  local what=$1
  if [[ "$status" == 2 ]] && head -n1 "$scratch/err" | grep -q '^lab: error: ' &&
    grep -q '^usage: ./lab' "$scratch/err"; then
    ok "$what"
  else
    fail "$what (wanted exit 2, a one-line 'lab: error:' then the usage on stderr)"
  fi
}

echo "== wrong command lines: one-line error, usage, exit status 2"
bad_lines=(
  ""
  "frobnicate"
  "--frobnicate"
  "build --bogus"
  "build extra"
  "build --preset"
  "build --preset nosuch"
  "build --preset=nosuch"
  "test"
  "test labrpc --seed"
  "test labrpc --seed abc"
  "test labrpc --runs 0"
  "test labrpc --runs"
  "test labrpc --bogus"
  "test labrpc one two"
  "test labrpc --solution --preset asan"
  "bench --bogus"
  "bench one two"
  "selftest --bogus"
  "help nosuchcommand"
  "help build test"
)
for line in "${bad_lines[@]}"; do
  # shellcheck disable=SC2086  # split the line into words on purpose
  run ./lab $line
  expect_usage_error "./lab $line"
done
run env LAB_JOBS=0 ./lab build
expect_usage_error "LAB_JOBS=0 ./lab build"

echo "== help"
run ./lab --help
expect "./lab --help lists the commands" 0 out '^  build ' out '^  test ' out '^  bench ' \
  out '^  selftest '
for cmd in build test bench selftest help; do
  run ./lab "$cmd" --help
  expect "./lab $cmd --help" 0 out "^usage: ./lab $cmd"
  run ./lab "$cmd" -h
  expect "./lab $cmd -h" 0 out "^usage: ./lab $cmd"
  run ./lab help "$cmd"
  expect "./lab help $cmd" 0 out "^usage: ./lab $cmd"
done

echo "== test suites"
run ./lab test no_such_suite
expect_usage_error "./lab test no_such_suite"
expect "unknown suite: one-line error naming it" 2 err "^lab: error: unknown test suite 'no_such_suite'"
suites=()
for bin in "$LAB_BUILD_DIR"/bin/*_tests; do
  [[ -x "$bin" ]] || continue
  name="${bin##*/}"
  suites+=("${name%_tests}")
  expect "unknown suite: the error lists suite ${name%_tests}" 2 \
    err "^lab: error: unknown test suite .*[ (]${name%_tests}[,)]"
done

if ((${#suites[@]} > 0)); then
  suite="${suites[0]}"
  # labrpc is the cheapest suite to build, when it is there.
  for name in "${suites[@]}"; do
    [[ "$name" != labrpc ]] || suite=labrpc
  done
  # A filter that matches nothing fails, so the loop stops at run 1 with its replay command.
  run ./lab test "$suite" 'NoSuchTest*' --runs 3 --seed 41
  expect "--runs stops at the first failing run and prints its replay command" 1 \
    err "replay it with: ./lab test $suite 'NoSuchTest\*' --seed 41$"
  if grep -q 'seed 42' "$scratch/err"; then
    fail "--runs must not go on after a failing run"
  else
    ok "--runs does not go on after a failing run"
  fi
else
  status=none last_cmd="ls $LAB_BUILD_DIR/bin/*_tests"
  fail "no test suite in $LAB_BUILD_DIR/bin: cannot check ./lab test"
fi

echo "== presets"
lab_presets="$(
  # shellcheck source=tools/lib/common.sh disable=SC2153
  source tools/lib/common.sh
  printf '%s ' "${LAB_PRESETS[@]}"
)"
cmake_presets="$(cmake --list-presets | sed -n 's/^  "\([^"]*\)".*/\1/p' | tr '\n' ' ')"
last_cmd="cmake --list-presets" status=0
# Same names in the same order (./lab's first preset is the default).
if [[ -n "$cmake_presets" && "$lab_presets" == "$cmake_presets" ]]; then
  ok "LAB_PRESETS in tools/lib/common.sh match CMakePresets.json"
else
  fail "LAB_PRESETS ($lab_presets) differ from CMakePresets.json ($cmake_presets)"
fi

echo "== CI runs the README's test command"
last_cmd="grep .ci/run README.md" status=0
ci_commands="$(grep -vE '^[[:space:]]*(#|$|set |cd )' .ci/run || true)"
if [[ "$ci_commands" == "./lab selftest" ]] && grep -qxE '[[:space:]]*\./lab selftest[[:space:]]*' README.md; then
  ok ".ci/run runs ./lab selftest, the README's test command, and nothing else"
else
  fail ".ci/run should run exactly the README's test command (./lab selftest); it runs: $ci_commands"
fi

echo "== extension commands (in a scratch copy of ./lab)"
copy="$scratch/repo"
mkdir -p "$copy/tools/commands"
cp lab "$copy/"
cp -r tools/lib tools/deps.txt tools/deps-dev.txt "$copy/tools/"
cat >"$copy/tools/commands/hello" <<'EOF'
#!/usr/bin/env bash
# summary: a fixture of the selftest that greets
if [[ "${1:-}" == --help ]]; then echo "usage: ./lab hello [words]"; exit 0; fi
echo "hello from $LAB_ROOT: $*"
exit 3
EOF
printf '#!/bin/sh\n# summary: must not replace the built-in\necho wrong\n' >"$copy/tools/commands/build"
printf 'not a command\n' >"$copy/tools/commands/README.md"
chmod +x "$copy/tools/commands/hello" "$copy/tools/commands/build"

run "$copy/lab" --help
expect "--help lists an extension with its summary line" 0 \
  out '^  hello +a fixture of the selftest that greets$'
if grep -qE 'README|must not replace' "$scratch/out"; then
  fail "--help lists only executable extensions that are not built-ins"
else
  ok "--help lists only executable extensions that are not built-ins"
fi
run "$copy/lab" hello big world
expect "./lab hello runs tools/commands/hello with LAB_ROOT and its arguments" 3 \
  out "^hello from $copy: big world$"
run "$copy/lab" help hello
expect "./lab help hello shows the extension's own help" 0 out '^usage: ./lab hello'
run "$copy/lab" hello --help
expect "./lab hello --help reaches the extension" 0 out '^usage: ./lab hello'
run "$copy/lab" build --bogus
expect_usage_error "a built-in wins over an extension of the same name"

echo "== ./lab deps"
run ./lab deps --check
expect "./lab deps --check: every package of tools/deps.txt is installed here" 0 \
  err '^lab: every package is installed$'
run ./lab deps --dev --bogus
expect_usage_error "./lab deps with an unknown option"

echo "== in a student handout (the scratch copy has no tools/selftest.d, as a handout)"
for line in "selftest" "test raft 2A --solution" "build --preset solution" "handout /tmp/x"; do
  # shellcheck disable=SC2086  # split the line into words on purpose
  run "$copy/lab" $line
  if [[ "$status" == 2 && "$(grep -c . "$scratch/err")" == 1 ]] &&
    grep -q 'which a student handout does not include$' "$scratch/err"; then
    ok "./lab $line refuses in one line, exit status 2"
  else
    fail "./lab $line should refuse in one line with exit status 2"
  fi
done
run "$copy/lab" --help
expect "--help in a handout lists deps" 0 out '^  deps '
if grep -qE '^  selftest ' "$scratch/out"; then
  fail "--help in a handout should not list selftest"
else
  ok "--help in a handout leaves out selftest"
fi
mkdir "$copy/tools/selftest.d"
run "$copy/lab" --help
expect "--help in the course repository lists selftest" 0 out '^  selftest '
rmdir "$copy/tools/selftest.d"

echo "== missing Debian package (non-root): the exact apt-get command"
echo 'lab-selftest-no-such-package  # fixture' >"$copy/tools/deps.txt"
chmod -R a+rX "$scratch"
want='^  sudo apt-get install -y --no-install-recommends lab-selftest-no-such-package$'
if [[ "$(id -u)" != 0 ]]; then
  run "$copy/lab" build
  expect "a missing package stops the build with the apt-get command" 1 err "$want"
elif command -v runuser >/dev/null && id nobody >/dev/null 2>&1; then
  run runuser -u nobody -- "$copy/lab" build
  expect "a missing package stops the build with the apt-get command (as nobody)" 1 err "$want"
else
  echo "skipped: running as root without runuser or user nobody"
fi

echo "$passed passed, $failed failed"
((failed == 0))
