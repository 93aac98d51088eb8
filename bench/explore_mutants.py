#!/usr/bin/env python3
"""How fast each schedule strategy catches each mutant of a lab (issue: ./lab explore).

For every <lab>/mutants/<name>.patch and every strategy, runs the lab's graded tests (the
manifest's visible tests, or --tests) with seeds 1..N through `./lab explore --json`, using
the mutant's binary bin/<suite>_mutant_<name>_tests of a build tree, and prints one table:

  - seed rate: the fraction of the N seeds on which at least one test failed;
  - seeds to first failure: from each of several starting seeds s, how many seeds s, s+1, ...
    until one fails; the median over the starting seeds (">k" when none failed in the k seeds
    left after s).

With --reference, the reference solution's binary is run instead (every strategy, every
test, N seeds), and any failure makes the exit status 1: the strategies must be sound.

    bench/explore_mutants.py --build-dir build/release --seeds 30
    bench/explore_mutants.py --build-dir build/release --seeds 360 --reference

The binaries must be built (ninja raft_mutant_<name>_tests, raft_reference_tests).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRATEGIES = ("random", "pct", "jitter", "swarm")


def explore(binary, lab, strategy, seeds, jobs, tests):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        logs = Path(tmp) / "logs"
        subprocess.run([str(ROOT / "lab"), "explore", lab, *tests, "--binary", str(binary),
                        "--no-build", "--seed", "1", "--seeds", str(seeds), "-j", str(jobs),
                        "--strategy", strategy, "--quiet", "--keep", "0", "--json", str(out),
                        "--logs", str(logs)],
                       stdout=subprocess.DEVNULL, check=False)
        return json.loads(out.read_text())


def summarize(result, seeds):
    failing = sorted({s for t in result["tests"] for s in t["failing_seeds"]})
    starts = [1 + i * max(1, seeds // 10) for i in range(5) if 1 + i * max(1, seeds // 10) <= seeds]
    waits = []
    for s in starts:
        later = [f for f in failing if f >= s]
        waits.append(later[0] - s + 1 if later else float("inf"))
    median = statistics.median(waits)
    if median == float("inf"):
        shown = f">{seeds - starts[len(starts) // 2] + 1}"
    else:
        shown = f"{median:g}"
    runs = result["runs"]
    fails = sum(t["failures"] for t in result["tests"])
    return {"seed_rate": len(failing) / seeds, "seeds_to_first_failure": shown,
            "failing_seeds": failing, "runs": runs, "run_failures": fails,
            "wall_seconds": result["wall_seconds"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lab", default="raft")
    parser.add_argument("--build-dir", default=str(ROOT / "build" / "release"))
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--mutants", help="comma-separated names (default: every patch)")
    parser.add_argument("--tests", nargs="*", default=[],
                        help="parts or tests to run (default: the graded tests)")
    parser.add_argument("--reference", action="store_true",
                        help="run the reference solution instead of the mutants")
    parser.add_argument("--json", help="write every number to this file")
    args = parser.parse_args()
    bin_dir = Path(args.build_dir) / "bin"
    strategies = args.strategies.split(",")
    if args.reference:
        targets = [("reference", bin_dir / f"{args.lab}_reference_tests")]
    else:
        names = (args.mutants.split(",") if args.mutants else
                 sorted(p.stem for p in (ROOT / args.lab / "mutants").glob("*.patch")))
        targets = [(n, bin_dir / f"{args.lab}_mutant_{n}_tests") for n in names]
    missing = [str(b) for _, b in targets if not b.is_file()]
    if missing:
        sys.exit("not built: " + ", ".join(missing))
    table, everything = [], {}
    for name, binary in targets:
        row = [name]
        for strategy in strategies:
            summary = summarize(explore(binary, args.lab, strategy, args.seeds, args.jobs,
                                        args.tests), args.seeds)
            everything[f"{name}/{strategy}"] = summary
            row.append(f"{100 * summary['seed_rate']:.0f}% / {summary['seeds_to_first_failure']}"
                       if not args.reference else
                       f"{summary['run_failures']} of {summary['runs']} runs")
            print(f"{name} {strategy}: {row[-1]} ({summary['wall_seconds']:.0f} s)",
                  file=sys.stderr, flush=True)
        table.append(row)
    what = ("failed runs" if args.reference else
            "seeds failing / median seeds to first failure")
    print(f"| {args.lab} ({args.seeds} seeds; {what}) | " + " | ".join(strategies) + " |")
    print("|---|" + "---|" * len(strategies))
    for row in table:
        print("| " + " | ".join(row) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=2) + "\n")
    if args.reference and any(v["run_failures"] for v in everything.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
