"""./lab explore: hunt rare failures by running tests over many seeds, in parallel.

    ./lab explore raft 2A --minutes 5
    ./lab explore raft TestFigure8Unreliable2C --seeds 500 --strategy pct
    ./lab explore raft --seeds 200 --until-fail

Every run is one test with one seed and one schedule strategy (labrpc/runtime/strategy.h,
docs/en/explore.md), in a process of its own under the manifest's limits (process.py), judged
as the grader judges it (verdict.py). Seeds go round robin over the selected tests, so all of
them advance together: seed S runs every test before seed S+1 runs any.

While it runs, a table per test shows runs, failures, the failure rate with its 95% interval,
and the mean virtual and wall time of a run. The logs of each test's first failures are kept,
and each is replayed once more to draw its timeline (the simulator replays a seed exactly, so
the page shows the very run that failed). It ends with the table, the replay commands, and,
with --json, the results in a file.

Exit status: 0 when no run failed, 1 when one did (or the build failed), 2 on a wrong
command line.
"""

import json
import math
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import build
from .grade import _missing_solutions, _remove_if_empty
from .manifest import ManifestError, TestSpec, load_all
from .plan import SelectionError, random_base_seed, select_tests
from .process import TestProcess
from .results import replay_command
from .scheduler import _read_end
from .verdict import judge

STRATEGIES = ("random", "pct", "jitter", "swarm")
DEFAULT_STRATEGY = "swarm"
_KEEP_FAILURES = 3          # logs (and timelines) kept per test
_TICK_SECONDS = 0.5
_LINE_PROGRESS_SECONDS = 15  # how often a non-terminal gets a progress line


def add_arguments(parser):
    parser.add_argument("lab", help="the lab (or suite) to explore, e.g. raft")
    parser.add_argument("names", nargs="*", metavar="part|test",
                        help="parts (2A) or tests of that lab (default: all its graded "
                             "tests); a test of the binary that the manifest does not grade "
                             "(e.g. TestOneVotePerTerm2C) may be named too")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--seeds", type=int, metavar="N",
                        help="seeds to run every selected test with (default: 100)")
    budget.add_argument("--minutes", type=float, metavar="M",
                        help="run new seeds until M minutes have passed")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="runs in parallel (default: number of CPUs)")
    parser.add_argument("--strategy", choices=STRATEGIES, default=DEFAULT_STRATEGY,
                        help=f"schedule strategy of every run (default: {DEFAULT_STRATEGY})")
    parser.add_argument("--seed", type=int, metavar="S",
                        help="first seed (default: random, printed)")
    parser.add_argument("--until-fail", action="store_true",
                        help="stop at the first failing run")
    parser.add_argument("--solution", action="store_true",
                        help="explore the reference solution (the solution preset)")
    parser.add_argument("--preset", metavar="P",
                        help="build preset (default: debug, or solution with --solution)")
    parser.add_argument("--binary", metavar="FILE",
                        help="run this test binary instead of the lab's (e.g. a mutant's)")
    parser.add_argument("--no-build", action="store_true",
                        help="use the binary as it is (do not run the build)")
    parser.add_argument("--keep", type=int, default=_KEEP_FAILURES, metavar="K",
                        help=f"failures kept per test, with log and timeline (default: "
                             f"{_KEEP_FAILURES}; 0 keeps none)")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON")
    parser.add_argument("--logs", metavar="DIR",
                        help="where failing runs' logs go (default: build/explore-logs/<time>)")
    parser.add_argument("--quiet", action="store_true", help="no progress table")


@dataclass
class TestStats:
    name: str
    runs: int = 0
    failures: int = 0
    virtual_seconds: float = 0.0   # summed over the runs that reported it
    virtual_runs: int = 0
    wall_seconds: float = 0.0
    failed: list = field(default_factory=list)   # the first _KEEP_FAILURES, as dicts
    failing_seeds: list = field(default_factory=list)   # every one, in the order they ended

    def interval(self):
        return wilson_interval(self.failures, self.runs)

    def to_dict(self):
        low, high = self.interval()
        return {
            "test": self.name, "runs": self.runs, "failures": self.failures,
            "rate": self.failures / self.runs if self.runs else None,
            "rate_95_low": low, "rate_95_high": high,
            "virtual_seconds_mean": (self.virtual_seconds / self.virtual_runs
                                     if self.virtual_runs else None),
            "wall_seconds_mean": self.wall_seconds / self.runs if self.runs else None,
            "first_failures": self.failed,
            "failing_seeds": sorted(self.failing_seeds),
        }


def wilson_interval(failures, runs, z=1.959964):
    """The 95% Wilson score interval of a failure rate: unlike failures/runs +- 2 sigma, it
    is never empty or negative, and with 0 failures in n runs its top is about 3.8/n, the
    honest answer to "how often could this still fail?"."""
    if runs == 0:
        return (0.0, 1.0)
    p = failures / runs
    denom = 1 + z * z / runs
    centre = (p + z * z / (2 * runs)) / denom
    half = z * math.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs)) / denom
    low = 0.0 if failures == 0 else max(0.0, centre - half)
    high = 1.0 if failures == runs else min(1.0, centre + half)
    return (low, high)


def run(args, root):
    if (args.seeds is not None and args.seeds < 1) or args.jobs < 1 or (
            args.minutes is not None and args.minutes <= 0):
        return _usage_error("--seeds, --minutes and -j must be positive")
    if args.keep < 0:
        return _usage_error("--keep must be 0 or more")
    try:
        manifests = load_all(root / "labs")
        manifest, tests = _select(manifests, args.lab, args.names)
    except (ManifestError, SelectionError) as e:
        return _usage_error(e)
    if args.solution and args.preset:
        return _usage_error("--solution and --preset: give one")
    missing = _missing_solutions(root, [manifest]) if args.solution else []
    if missing:
        return _usage_error(f"--solution needs the reference solution ({', '.join(missing)}), "
                            "which a student handout does not include")
    preset = args.preset or ("solution" if args.solution else "debug")
    binary = Path(args.binary).resolve() if args.binary else None
    try:
        if not args.no_build and binary is None:
            build_dir = build.build(root, preset, [manifest.build_target], jobs=args.jobs)
        else:
            build_dir = root / "build" / preset
        binary = binary or build.binary_path(build_dir, manifest)
        if not binary.is_file():
            raise build.BuildError(f"{binary} does not exist (was {manifest.lab} built?)", "")
    except build.BuildError as e:
        print(f"explore: {e}", file=sys.stderr)
        return 1

    base = args.seed if args.seed is not None else random_base_seed()
    seeds = None if args.minutes is not None else (args.seeds or 100)
    log_dir = Path(args.logs) if args.logs else \
        root / "build" / "explore-logs" / time.strftime("%Y%m%d-%H%M%S")
    log_dir.mkdir(parents=True, exist_ok=True)
    budget = (f"{seeds} seeds ({base}..{base + seeds - 1})" if seeds
              else f"{args.minutes:g} minutes of seeds from {base}")
    print(f"explore: {manifest.lab}: {len(tests)} test(s), strategy {args.strategy}, {budget}, "
          f"-j {args.jobs}; logs in {log_dir}", flush=True)
    session = Session(manifest, tests, binary, args, root, log_dir, base, seeds)
    session.run()
    _draw_timelines(session, binary)
    session.report()
    if args.json:
        Path(args.json).write_text(json.dumps(session.to_dict(), indent=2) + "\n")
        print(f"explore: results in {args.json}")
    _remove_if_empty(log_dir)
    return 1 if any(s.failures for s in session.stats.values()) else 0


def _select(manifests, lab, names):
    """The lab's manifest and the TestSpecs to run: the parts and tests named, or the
    manifest's visible tests. A name the manifest does not know but that looks like a test
    name is taken as one (the binary may hold extra tests the grade does not count)."""
    matching = [m for m in manifests if lab in (m.lab, m.suite)]
    if not matching:
        raise SelectionError(f"'{lab}' is not a lab; labs are: "
                             + ", ".join(m.lab for m in manifests))
    manifest = matching[0]
    if not names:
        return manifest, [t for t in manifest.tests() if not t.hidden]
    tests = []
    for name in names:
        try:
            chosen = [t for _, t in select_tests([manifest], [name])]
        except SelectionError:
            if not name.startswith("Test"):
                raise
            chosen = [TestSpec(name=name, part="", points=0, hidden=False,
                               visibility="visible", tags=())]
        for t in chosen:
            if t.hidden:
                raise SelectionError(f"{t.name} is a hidden test: explore runs the public "
                                     "binary only")
            if t not in tests:
                tests.append(t)
    return manifest, tests


class Session:
    def __init__(self, manifest, tests, binary, args, root, log_dir, base, seeds):
        self.manifest = manifest
        self.tests = tests
        self.binary = binary
        self.args = args
        self.log_dir = log_dir
        self.base = base
        self.seeds = seeds               # None: until the time is up
        self.deadline = (time.monotonic() + args.minutes * 60) if args.minutes else None
        self.env = dict(os.environ, LAB_ROOT=str(root))
        self.stats = {t.name: TestStats(t.name) for t in tests}
        self.next_run = 0                # index into the round-robin order
        self.started = time.monotonic()
        self.wall = 0.0
        self.stopped = ""                # why the session ended early, if it did
        self.progress = _Progress(self, sys.stdout, args.quiet)

    def _next(self):
        """The (test, seed) of the next run, or None when the budget is spent."""
        seed_index, test_index = divmod(self.next_run, len(self.tests))
        if self.seeds is not None and seed_index >= self.seeds:
            return None
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return None
        self.next_run += 1
        return self.tests[test_index], self.base + seed_index

    def run(self):
        selector = selectors.DefaultSelector()
        running = {}
        interrupted = False

        def on_sigint(signum, frame):
            nonlocal interrupted
            interrupted = True
            signal.signal(signal.SIGINT, signal.default_int_handler)

        previous = signal.signal(signal.SIGINT, on_sigint)
        exhausted = False
        try:
            while True:
                if interrupted and not self.stopped:
                    self.stopped = "interrupted (Ctrl-C)"
                stopping = bool(self.stopped)
                while not stopping and not exhausted and len(running) < self.args.jobs:
                    nxt = self._next()
                    if nxt is None:
                        exhausted = True
                        break
                    proc, workdir = self._start(*nxt)
                    running[proc] = (nxt, workdir)
                    for fd in proc.fds():
                        selector.register(fd, selectors.EVENT_READ, proc)
                if not running:
                    break
                timeout = _TICK_SECONDS
                now = time.monotonic()
                for proc in running:
                    timeout = min(timeout, max(0.0, proc.deadline - now))
                    if len(proc.fds()) == 1:
                        timeout = min(timeout, 0.05)
                for key, _ in selector.select(timeout):
                    if not key.data.on_readable(key.fd):
                        selector.unregister(key.fd)
                now = time.monotonic()
                for proc in list(running):
                    if stopping:
                        proc.kill("stopped")
                    elif now > proc.deadline and not proc.killed_reason:
                        proc.kill("timeout")
                    if proc.killed_reason or proc.has_exited():
                        (test, seed), workdir = running.pop(proc)
                        for fd in proc.fds():
                            try:
                                selector.unregister(fd)
                            except (KeyError, ValueError):
                                pass
                        self._finish(proc, test, seed, workdir, counted=not stopping)
                self.progress.tick()
        finally:
            signal.signal(signal.SIGINT, previous)
            selector.close()
            self.wall = time.monotonic() - self.started
            self.progress.close()

    def _start(self, test, seed):
        argv = [str(self.binary), test.name, "--seed", str(seed),
                "--strategy", self.args.strategy] + list(self.manifest.test_args)
        workdir = tempfile.mkdtemp(prefix="run-", dir=self.log_dir)
        log = self._log_path(test.name, seed)
        return TestProcess(argv, log, self.manifest.limits, cwd=workdir, env=self.env), workdir

    def _finish(self, proc, test, seed, workdir, counted):
        returncode, seconds = proc.finish()
        shutil.rmtree(workdir, ignore_errors=True)
        log = self._log_path(test.name, seed)
        if not counted:
            log.unlink(missing_ok=True)
            return
        log_text = _read_end(log)
        verdict = judge(test.name, self.manifest.binary_name, returncode, proc.timed_out,
                        self.manifest.limits.run_seconds, lambda: proc.channel.record(seed),
                        log_text, self.manifest.limits.memory_mb)
        stats = self.stats[test.name]
        stats.runs += 1
        stats.wall_seconds += seconds
        if verdict.virtual_seconds is not None:
            stats.virtual_seconds += verdict.virtual_seconds
            stats.virtual_runs += 1
        if verdict.passed:
            log.unlink(missing_ok=True)
            return
        stats.failures += 1
        stats.failing_seeds.append(seed)
        if len(stats.failed) < self.args.keep:
            replay = replay_command(self.manifest.suite, test.name, seed, self.args.strategy)
            if self.args.solution:
                replay += " --solution"
            stats.failed.append({"seed": seed, "reason": verdict.reason, "log": str(log),
                                 "replay": replay, "timeline": ""})
            self.progress.failure(test.name, seed, verdict.reason, replay)
        else:
            log.unlink(missing_ok=True)
        if self.args.until_fail and not self.stopped:
            self.stopped = f"--until-fail: {test.name} failed with seed {seed}"

    def _log_path(self, test_name, seed):
        return self.log_dir / f"{test_name}-seed{seed}-{self.args.strategy}.log"

    def report(self):
        out = sys.stdout
        runs = sum(s.runs for s in self.stats.values())
        print("", file=out)
        print(_table(self.stats.values()), file=out)
        rate = runs / self.wall * 60 if self.wall > 0 else 0
        print(f"\n{runs} runs in {self.wall:.1f} s ({rate:.0f} runs per minute, -j "
              f"{self.args.jobs}), strategy {self.args.strategy}, seeds from {self.base}"
              + (f"; stopped early: {self.stopped}" if self.stopped else ""), file=out)
        failed = [f for s in self.stats.values() for f in s.failed]
        if failed:
            print("\nFirst failures (log, timeline, replay):", file=out)
            for s in self.stats.values():
                for f in s.failed:
                    print(f"  {s.name} seed {f['seed']}: {_first_line(f['reason'])}", file=out)
                    print(f"    log:      {f['log']}", file=out)
                    if f["timeline"]:
                        print(f"    timeline: {f['timeline']}", file=out)
                    print(f"    replay:   {f['replay']}", file=out)
        else:
            print("No run failed.", file=out)

    def to_dict(self):
        return {
            "lab": self.manifest.lab, "suite": self.manifest.suite,
            "binary": str(self.binary), "strategy": self.args.strategy,
            "base_seed": self.base, "jobs": self.args.jobs,
            "wall_seconds": round(self.wall, 3),
            "runs": sum(s.runs for s in self.stats.values()),
            "stopped_early": self.stopped,
            "tests": [s.to_dict() for s in self.stats.values()],
        }


def _draw_timelines(session, binary):
    """Replays each kept failure once with --timeline: the simulator replays a seed exactly,
    so the page is the failing run's (a run that passes on replay says so in its reason)."""
    for stats in session.stats.values():
        for failure in stats.failed:
            page = Path(failure["log"]).with_suffix(".timeline.html")
            argv = [str(binary), stats.name, "--seed", str(failure["seed"]), "--strategy",
                    session.args.strategy, "--timeline", str(page)]
            try:
                subprocess.run(argv + list(session.manifest.test_args), cwd=session.log_dir,
                               env=session.env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=session.manifest.limits.run_seconds)
            except (subprocess.TimeoutExpired, OSError):
                continue
            if page.is_file():
                failure["timeline"] = str(page)


def _table(stats):
    rows = [("test", "runs", "fail", "rate", "95% interval", "virtual s/run", "wall s/run")]
    for s in stats:
        low, high = s.interval()
        rows.append((
            s.name, str(s.runs), str(s.failures),
            f"{100 * s.failures / s.runs:.1f}%" if s.runs else "-",
            f"{100 * low:.1f}-{100 * high:.1f}%" if s.runs else "-",
            f"{s.virtual_seconds / s.virtual_runs:.1f}" if s.virtual_runs else "-",
            f"{s.wall_seconds / s.runs:.2f}" if s.runs else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


class _Progress:
    """On a terminal, the table redrawn in place; elsewhere, a summary line now and then.
    Failures are printed as they happen, with their replay command."""

    def __init__(self, session, stream, quiet):
        self.session = session
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty() and not quiet
        self.drawn_lines = 0
        self.last_line = time.monotonic()

    def _erase(self):
        if self.drawn_lines:
            self.stream.write(f"\x1b[{self.drawn_lines}F\x1b[J")
            self.drawn_lines = 0

    def failure(self, test, seed, reason, replay):
        if self.quiet:
            return
        self._erase()
        self.stream.write(f"FAIL {test} seed {seed}: {_first_line(reason)}\n"
                          f"     replay: {replay}\n")
        self.stream.flush()

    def tick(self):
        if self.quiet:
            return
        s = self.session
        runs = sum(t.runs for t in s.stats.values())
        fails = sum(t.failures for t in s.stats.values())
        elapsed = time.monotonic() - s.started
        status = f"{runs} runs, {fails} failed, {elapsed:.0f} s"
        if self.tty:
            self._erase()
            text = _table(s.stats.values()) + "\n" + status + "\n"
            self.stream.write(text)
            self.drawn_lines = text.count("\n")
            self.stream.flush()
        elif time.monotonic() - self.last_line >= _LINE_PROGRESS_SECONDS:
            self.last_line = time.monotonic()
            self.stream.write(f"explore: {status}\n")
            self.stream.flush()

    def close(self):
        if self.tty:
            self._erase()


def _first_line(text):
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 160 else line[:157] + "..."


def _usage_error(error):
    print(f"explore: error: {error}", file=sys.stderr)
    return 2
