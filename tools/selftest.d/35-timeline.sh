#!/usr/bin/env bash
# Selftest step: the timeline of a run (labrpc/record.h, labrpc/testing/timeline.html) and
# `./lab logs`, on a real failing run: the Raft mutant forget_voted_for, which
# TestOneVotePerTerm2C catches with two leaders in one term (seed 1).
#   1. A failure names the command that writes its timeline.
#   2. --timeline writes one self-contained, well-formed HTML page holding the run's events
#      (RPCs, crashes, cut links, role lines, the failure); the same seed writes the same
#      bytes.
#   3. Headless Chromium renders it (when installed): the lanes, RPC arrows, fault shading, the
#      role band and the failure marker are drawn (the page reports what it drew as data-*
#      attributes of <body>), in under 3 s; a screenshot is kept in $LAB_ARTIFACT_DIR (default
#      build/debug/selftest-artifacts). The page of the longest Raft test (reference) too.
#   4. ./lab logs shows the same run's LAB_DEBUG log in columns, with its filters.
set -euo pipefail

: "${LAB_ROOT:?run me through ./lab selftest}"
: "${LAB_BUILD_DIR:?run me through ./lab selftest}"
cd "$LAB_ROOT"
bin="$LAB_BUILD_DIR/bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
artifacts="${LAB_ARTIFACT_DIR:-$LAB_BUILD_DIR/selftest-artifacts}"
mkdir -p "$artifacts"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok    $*"; }

mutant="$bin/raft_mutant_forget_voted_for_tests"
if ! cmake --build "$LAB_BUILD_DIR" --target raft_mutant_forget_voted_for_tests \
    raft_reference_tests -j "${LAB_JOBS:-2}" > "$work/build.out" 2>&1; then
  tail -30 "$work/build.out"
  echo "FAIL: building the Raft mutant and reference"
  exit 1
fi
test_name=TestOneVotePerTerm2C

echo "== 1. a failure names the command that writes its timeline"
"$mutant" "$test_name" --seed 1 > "$work/plain.out" 2>&1 && fail "the mutant passed $test_name"
if grep -qF "timeline with: ./lab test raft_mutant_forget_voted_for \"$test_name\" --seed 1 --timeline " \
    "$work/plain.out"; then
  ok "the failure names the timeline command"
else
  fail "no 'timeline with:' line"; tail -8 "$work/plain.out"
fi

echo "== 2. --timeline writes the page"
page="$work/failure.html"
"$mutant" "$test_name" --seed 1 --timeline "$page" > "$work/tl.out" 2>&1 || true
grep -qF "timeline: $page" "$work/tl.out" && ok "it prints where the page is" ||
  fail "no 'timeline: $page' line"
[[ -s "$page" ]] || { fail "no page at $page"; exit 1; }
for want in '<!DOCTYPE html>' '"k":"rpc-send"' '"k":"rpc-deliver"' '"k":"rpc-reply"' \
    '"k":"crash"' '"k":"link-down"' '"n":"state"' '"k":"failure"' \
    '(>1) leaders'; do
  grep -qF "$want" "$page" && ok "the page holds $want" || fail "the page lacks $want"
done
if grep -qE '(src|href)="?(https?:)?//' "$page"; then fail "the page loads something"; else ok "the page loads nothing from outside"; fi
# Well-formed: every element that is opened is closed, in order (the parser is Python's).
if python3 - "$page" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "input", "img", "hr", "link"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag: sys.exit(f"unbalanced </{tag}>")
c = Check(); c.feed(open(sys.argv[1], encoding="utf-8").read()); c.close()
sys.exit(f"unclosed {c.stack}" if c.stack else 0)
PY
then ok "the page is well-formed"; else fail "the page is not well-formed"; fi
"$mutant" "$test_name" --seed 1 --timeline "$work/again.html" > /dev/null 2>&1 || true
cmp -s "$page" "$work/again.html" && ok "the same seed writes the same page" ||
  fail "two runs with seed 1 wrote different pages"

echo "== 3. the page in a browser"
# shellcheck source=tools/lib/browser.sh
source "${LAB_ROOT:-.}/tools/lib/browser.sh"
browser="$(find_browser)"
if [[ -z "$browser" ]]; then
  echo "35-timeline: browser checks skipped: chromium not installed (apt-get install chromium)"
else
  chrome() {
    local profile
    profile="$(mktemp -d)"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$profile" "$@" 2> "$work/chromium.log" || {
        fail "$browser exited with an error"; tail -5 "$work/chromium.log"; }
    rm -rf "$profile"
  }
  attr() { grep -o "data-$1=\"[0-9]*\"" "$2" | head -1 | grep -o '[0-9]*' || echo 0; }
  expect_at_least() {  # WHAT ATTRIBUTE DOM MIN
    local n
    n="$(attr "$2" "$3")"
    if ((n >= $4)); then ok "$1: $n"; else fail "$1: $n, expected at least $4"; fi
  }
  chrome --dump-dom "file://$page" > "$work/failure.dom"
  expect_at_least "lanes" lanes "$work/failure.dom" 4
  expect_at_least "RPC arrows in view" arrows "$work/failure.dom" 10
  expect_at_least "cut-off intervals shaded" cut "$work/failure.dom" 1
  expect_at_least "role bands" bands "$work/failure.dom" 3
  expect_at_least "failure marker" failure-marker "$work/failure.dom" 1
  chrome --window-size=1600,900 --screenshot="$artifacts/timeline-failure.png" "file://$page" > /dev/null
  [[ -s "$artifacts/timeline-failure.png" ]] && ok "screenshot: $artifacts/timeline-failure.png" ||
    fail "no screenshot"

  # The longest Raft test: its page must stay quick.
  big="$work/longest.html"
  "$bin/raft_reference_tests" TestSnapshotInstallUnreliable2D --seed 1 --timeline "$big" > /dev/null 2>&1 ||
    fail "the reference failed TestSnapshotInstallUnreliable2D"
  chrome --dump-dom "file://$big" > "$work/longest.dom"
  load_ms="$(attr load-ms "$work/longest.dom")"
  size_kb=$(( $(stat -c %s "$big") / 1024 ))
  if ((load_ms > 0 && load_ms < 3000)); then
    ok "the longest test's page ($size_kb KiB) is drawn $load_ms ms after it starts loading"
  else
    fail "the longest test's page ($size_kb KiB) took $load_ms ms to draw (limit 3000)"
  fi
fi

echo "== 4. ./lab logs"
log="$work/run.log"
LAB_DEBUG=1 LAB_DEBUG_FILE="$log" "$mutant" "$test_name" --seed 1 > /dev/null 2>&1 || true
./lab logs "$log" --width 140 > "$work/logs.out" 2>&1 || fail "./lab logs failed"
head -1 "$work/logs.out" | grep -qE 'server-0 +server-1 +server-2 +tester' &&
  ok "one column per server" || { fail "no column header"; head -3 "$work/logs.out"; }
grep -q $'\x1b\[' "$work/logs.out" && fail "colours in piped output" || ok "plain when piped"
./lab logs "$log" --servers 1 --topics state --from 4000 --to 5000 > "$work/one.out"
if [[ "$(sed -n 1p "$work/one.out" | tr -s ' ')" == " server-1" ]] &&
    grep -q 'state: leader term 3' "$work/one.out" && ! grep -q 'vote:' "$work/one.out"; then
  ok "--servers, --topics, --from and --to filter"
else
  fail "the filters"; cat "$work/one.out"
fi
./lab logs "$log" --from 5 --to 1 > /dev/null 2>&1 && fail "--to before --from accepted" ||
  ok "--to before --from is refused"

if ((failures > 0)); then
  echo "35-timeline: $failures failure(s)"
  exit 1
fi
echo "35-timeline: all checks passed"
