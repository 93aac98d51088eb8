#!/usr/bin/env bash
# Self-test of the linearizability checker's CLI and HTML page (its unit tests run under
# ctest as "linearizability: ..."):
#   1. exit codes: Ok 0, Illegal 1, Unknown 2 (timeout), malformed/missing file or bad usage 3;
#   2. the page rendered by headless Chromium: the script ran (data-rendered), drew every
#      operation, marked where linearization becomes impossible, drew the annotations and
#      put states on the operations.
set -euo pipefail

build="${LAB_BUILD_DIR:-${LAB_ROOT:-.}/build/debug}"
cli="$build/bin/linearizability"
if [[ ! -x "$cli" ]]; then
  echo "60-linearizability: building the checker CLI"
  cmake --build "$build" --target linearizability
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat > "$work/ok.json" <<'JSON'
{"operations": [
  {"client": 0, "op": "put", "key": "x", "value": "1", "call": 0, "return": 100},
  {"client": 1, "op": "get", "key": "x", "output": "", "call": 10, "return": 20},
  {"client": 1, "op": "get", "key": "x", "output": "1", "call": 30, "return": 40},
  {"client": 2, "op": "append", "key": "x", "value": "2", "call": 110, "return": 150},
  {"client": 0, "op": "get", "key": "x", "output": "12", "call": 160, "return": 170}
]}
JSON
# A stale read on key x, a fine key y, and three annotations (interval, point, client).
cat > "$work/illegal.json" <<'JSON'
{"model": "kv",
 "operations": [
  {"client": 0, "op": "put", "key": "x", "value": "1", "call": 0, "return": 100},
  {"client": 1, "op": "get", "key": "x", "output": "1", "call": 20, "return": 60},
  {"client": 2, "op": "append", "key": "x", "value": "2", "call": 110, "return": 150},
  {"client": 1, "op": "get", "key": "x", "output": "12", "call": 160, "return": 200},
  {"client": 2, "op": "get", "key": "x", "output": "1", "call": 210, "return": 260},
  {"client": 0, "op": "put", "key": "y", "value": "a", "call": 5, "return": 40},
  {"client": 3, "op": "get", "key": "y", "output": "a", "call": 50, "return": 90}
 ],
 "annotations": [
  {"start": 30, "end": 120, "description": "partition {0,1} | {2,3,4}", "tag": "partition"},
  {"start": 205, "description": "server 2 crashed", "tag": "crash"},
  {"client": 1, "start": 170, "end": 190, "description": "retry"}
 ]}
JSON
echo '{"operations": [{"client": 0, "op": "get", "key": "x", "output": "", "call": "soon", "return": 2}]}' \
  > "$work/malformed.json"
# 40 overlapping appends and a read no order explains: far too many orders to finish.
python3 - "$work/hard.json" <<'PY'
import json, sys
ops = [{"client": i, "op": "append", "key": "x", "value": "v%d;" % i, "call": i, "return": 1000 + i}
       for i in range(40)]
ops.append({"client": 40, "op": "get", "key": "x", "output": "impossible", "call": 2000, "return": 2001})
json.dump({"operations": ops}, open(sys.argv[1], "w"))
PY

expect_exit() {  # expect_exit CODE FIRST_LINE_PATTERN ARGS...
  local want="$1" pattern="$2"
  shift 2
  local got=0
  "$cli" "$@" > "$work/out.txt" 2> "$work/err.txt" || got=$?
  if [[ "$got" != "$want" ]]; then
    fail "linearizability $* exited $got, expected $want"
    cat "$work/out.txt" "$work/err.txt"
  elif ! grep -qE "$pattern" "$work/out.txt" "$work/err.txt"; then
    fail "linearizability $*: output does not match /$pattern/"
    cat "$work/out.txt" "$work/err.txt"
  else
    echo "ok: linearizability $* -> exit $got"
  fi
}

echo "60-linearizability: CLI exit codes"
expect_exit 0 '^Ok$' check "$work/ok.json"
expect_exit 1 "^Illegal$" check "$work/illegal.json"
expect_exit 1 "cannot be linearized after it: #4 client 2 get\('x'\) -> '1'" check "$work/illegal.json"
expect_exit 2 '^Unknown$' check "$work/hard.json" --timeout 0.3
expect_exit 3 'operations\[0\]: "call" must be an integer, got string' check "$work/malformed.json"
expect_exit 3 'cannot open file' check "$work/missing.json"
expect_exit 3 'usage:' frobnicate
expect_exit 1 'wrote history visualization' check "$work/illegal.json" --html "$work/illegal.html"
expect_exit 0 'wrote history visualization' check "$work/ok.json" --html "$work/ok.html"

# shellcheck source=tools/lib/browser.sh
source "${LAB_ROOT:-.}/tools/lib/browser.sh"
browser="$(find_browser)"
if [[ -z "$browser" ]]; then
  echo "60-linearizability: skipped: chromium not installed (apt-get install chromium)"
else
  echo "60-linearizability: rendering the pages in headless $browser"
  render() {  # render PAGE DOM_OUT
    local profile
    profile="$(mktemp -d)"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$profile" --dump-dom "file://$1" > "$2" 2> "$work/chromium.log" || {
        fail "$browser exited with an error on $1"; tail -5 "$work/chromium.log"; }
    rm -rf "$profile"
  }
  count() { { grep -o "$1" "$2" || true; } | wc -l; }
  expect_count() {  # expect_count WHAT PATTERN FILE N
    local n
    n="$(count "$2" "$3")"
    if [[ "$n" != "$4" ]]; then fail "$1: found $n, expected $4"; else echo "ok: $1 ($n)"; fi
  }
  render "$work/illegal.html" "$work/illegal.dom"
  dom="$work/illegal.dom"
  expect_count "script ran to the end" 'data-rendered="true"' "$dom" 1
  expect_count "no drawing error" '<div id="render-error"' "$dom" 0
  expect_count "overall result" '<body[^>]*data-result="Illegal"' "$dom" 1
  expect_count "one box per operation" '<rect class="op ' "$dom" 7
  expect_count "body counts the operations" 'data-operations="7"' "$dom" 1
  expect_count "one section per key" '<section class="partition"' "$dom" 2
  expect_count "the blocking read is marked" 'class="op op-pending op-blocking"[^>]*data-op="4"' "$dom" 1
  expect_count "where linearization becomes impossible" 'id="first-error"' "$dom" 1
  expect_count "annotations drawn (x: 3, y: 2 system-wide)" '<g class="annotation"' "$dom" 5
  expect_count "annotations listed" 'class="annotation-item"' "$dom" 3
  expect_count "linearized boxes carry their states" 'data-state-after=' "$dom" 6
  expect_count "the append's state after" "data-op=\"2\"[^>]*data-state-after=\"'12'\"" "$dom" 1
  render "$work/ok.html" "$work/ok.dom"
  dom="$work/ok.dom"
  expect_count "Ok page: script ran" 'data-rendered="true"' "$dom" 1
  expect_count "Ok page: overall result" '<body[^>]*data-result="Ok"' "$dom" 1
  expect_count "Ok page: every operation linearized" 'data-linearized="true"' "$dom" 5
  expect_count "Ok page: no error marker" 'id="first-error"' "$dom" 0
fi

if (( failures > 0 )); then
  echo "60-linearizability: $failures check(s) failed"
  exit 1
fi
echo "60-linearizability: all checks passed"
