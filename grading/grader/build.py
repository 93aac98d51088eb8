"""Building the test binaries and asking them what they contain.

The grader builds with the project's CMake presets (CMakePresets.json, as `./lab build`):
`debug` for the student's code, `solution` for the reference solutions.
It builds only the targets of the labs being graded, so an unfinished lab elsewhere in the
tree cannot stop a grade. A build tree given with --build-dir is used as it is configured.

Compiling a student's files, or running a binary that holds them (even only to list its
tests: static initializers run), executes or reads under the student's control; given an
isolation.Identity, both happen as that user, under limits, and everything the user left
running is killed afterwards (isolation.py).
"""

import os
import selectors
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

from . import isolation

_KEPT_OUTPUT_LINES = 200
_LIST_SECONDS = 60
_LIST_LIMITS = isolation.Limits(processes=64, memory_mb=4096, file_mb=64)


class BuildError(Exception):
    """The configure or build step failed; .output holds the end of what it printed."""

    def __init__(self, message, output):
        super().__init__(message)
        self.output = output


def build(root, preset, targets, build_dir=None, jobs=None, echo=sys.stdout, identity=None):
    """Builds targets in the preset's tree (build/<preset>), or in build_dir when given (an
    already configured tree). Returns the build dir.

    The preset's tree is built through ./lab's own helpers (tools/lib/common.sh): they install
    missing Debian packages, configure on first use, and hold the tree's lock so that a grade
    and another ./lab command never run Ninja in the same tree at once.

    identity: build as this isolation.Identity (which must own the build tree), with a
    minimal environment, isolation.BUILD_LIMITS and a time limit of
    isolation.BUILD_SECONDS."""
    root = Path(root)
    common = root / "tools" / "lib" / "common.sh"
    if build_dir is None and common.is_file():
        script = 'source "$LAB_ROOT/tools/lib/common.sh" && lab_ensure_deps && lab_build "$@"'
        env = dict(os.environ, LAB_ROOT=str(root))
        if identity is not None:
            env = isolation.environment(root / "build", {"LAB_ROOT": str(root)})
        if jobs:
            env["LAB_JOBS"] = str(jobs)
        _run(["bash", "-c", script, "lab-build", preset, *targets], root, echo,
             f"building {', '.join(targets)} (preset {preset})", env, identity)
        return root / "build" / preset
    if build_dir is None:   # a tree without ./lab's helpers: plain CMake
        build_dir = root / "build" / preset
        if not (build_dir / "CMakeCache.txt").exists():
            _run(["cmake", "--preset", preset], root, echo, f"configuring preset '{preset}'")
    build_dir = Path(build_dir)
    if not (build_dir / "CMakeCache.txt").exists():
        raise BuildError(f"{build_dir} is not a configured CMake build tree", "")
    command = ["cmake", "--build", str(build_dir), "--target", *targets]
    if jobs:
        command += ["--parallel", str(jobs)]
    _run(command, root, echo, f"building {', '.join(targets)}")
    return build_dir


def _run(command, cwd, echo, what, env=None, identity=None):
    """Runs a build command, echoing its output and keeping the end of it for errors."""
    print(f"grade: {what}", file=echo, flush=True)
    kept = deque(maxlen=_KEPT_OUTPUT_LINES)
    spawn = {} if identity is None else isolation.popen_kwargs(identity,
                                                                isolation.BUILD_LIMITS)
    try:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **spawn)
    except FileNotFoundError:
        raise BuildError(f"{command[0]} is not installed (run ./lab once to install the "
                         "tools)", "") from None
    timed_out = False
    try:
        timed_out = not _echo_until_eof(proc, echo, kept, isolation.BUILD_SECONDS
                                        if identity is not None else None)
    finally:
        if identity is not None:   # the time limit, and whatever the build left running
            isolation.kill_user(identity)
        proc.wait()
        if identity is not None:
            isolation.reap_children()
    if timed_out:
        raise BuildError(f"{what} took longer than {isolation.BUILD_SECONDS} s and was "
                         "stopped", "".join(kept))
    if proc.returncode != 0:
        raise BuildError(f"{what} failed (exit status {proc.returncode})", "".join(kept))


def _echo_until_eof(proc, echo, kept, seconds):
    """Copies proc's output to echo line by line (keeping the last lines) until it closes;
    returns False if that took longer than seconds (None: no limit)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    partial = b""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while True:
            timeout = None if deadline is None else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                return False
            if not selector.select(timeout):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            lines = (partial + chunk).split(b"\n")
            partial = lines.pop()        # the unfinished last line ("" after a newline)
            if not chunk and partial:
                lines.append(partial)
            for raw in lines:
                line = raw.decode("utf-8", errors="replace") + "\n"
                kept.append(line)
                echo.write(line)
            echo.flush()
            if not chunk:
                return True


def binary_path(build_dir, manifest):
    return Path(build_dir) / "bin" / manifest.binary_name


def list_tests(binary, extra_args=(), identity=None, extra_gids=()):
    """The names of the test cases compiled into a test binary (one per line of its
    --list-test-names-only output; other lines, like the seed the main prints, are harmless
    because callers only look names up). Catch2 exits with the number of tests listed, so the
    exit status means nothing here, except a crash. identity: list as that isolation.Identity
    (with the supplementary groups extra_gids)."""
    spawn = {}
    if identity is not None:
        spawn = dict(isolation.popen_kwargs(identity, _LIST_LIMITS, extra_gids), cwd="/",
                     env=isolation.environment("/nonexistent"))
    try:
        result = subprocess.run([str(binary), *extra_args, "--list-test-names-only"],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                errors="replace", timeout=_LIST_SECONDS, **spawn)
    except subprocess.TimeoutExpired:
        raise BuildError(f"{binary} --list-test-names-only did not finish in "
                         f"{_LIST_SECONDS} s", "") from None
    except OSError as e:
        raise BuildError(f"cannot run {binary}: {e.strerror}", "") from None
    finally:
        if identity is not None:
            isolation.kill_user(identity)
    if result.returncode < 0:
        raise BuildError(f"{binary} --list-test-names-only crashed (signal "
                         f"{-result.returncode})", result.stdout + result.stderr)
    return {line.strip() for line in result.stdout.splitlines() if line.strip()}


def supports_option(binary, option, known_test):
    """Whether a test binary accepts an option: with it, the binary must still list
    known_test (a binary that rejects an option prints its usage instead)."""
    return known_test in list_tests(binary, (option,))
