"""Building the test binaries and asking them what they contain.

The grader builds with the project's CMake presets (CMakePresets.json, as `./lab build`):
`debug` for the student's code, `solution` for the reference solutions.
It builds only the targets of the labs being graded, so an unfinished lab elsewhere in the
tree cannot stop a grade. A build tree given with --build-dir is used as it is configured.
"""

import os
import subprocess
import sys
from collections import deque
from pathlib import Path

_KEPT_OUTPUT_LINES = 200


class BuildError(Exception):
    """The configure or build step failed; .output holds the end of what it printed."""

    def __init__(self, message, output):
        super().__init__(message)
        self.output = output


def build(root, preset, targets, build_dir=None, jobs=None, echo=sys.stdout):
    """Builds targets in the preset's tree (build/<preset>), or in build_dir when given (an
    already configured tree). Returns the build dir.

    The preset's tree is built through ./lab's own helpers (tools/lib/common.sh): they install
    missing Debian packages, configure on first use, and hold the tree's lock so that a grade
    and another ./lab command never run Ninja in the same tree at once."""
    root = Path(root)
    common = root / "tools" / "lib" / "common.sh"
    if build_dir is None and common.is_file():
        script = 'source "$LAB_ROOT/tools/lib/common.sh" && lab_ensure_deps && lab_build "$@"'
        env = dict(os.environ, LAB_ROOT=str(root))
        if jobs:
            env["LAB_JOBS"] = str(jobs)
        _run(["bash", "-c", script, "lab-build", preset, *targets], root, echo,
             f"building {', '.join(targets)} (preset {preset})", env)
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


def _run(command, cwd, echo, what, env=None):
    """Runs a build command, echoing its output and keeping the end of it for errors."""
    print(f"grade: {what}", file=echo, flush=True)
    kept = deque(maxlen=_KEPT_OUTPUT_LINES)
    try:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
    except FileNotFoundError:
        raise BuildError(f"{command[0]} is not installed (run ./lab once to install the "
                         "tools)", "") from None
    for line in proc.stdout:
        kept.append(line)
        echo.write(line)
    echo.flush()
    if proc.wait() != 0:
        raise BuildError(f"{what} failed (exit status {proc.returncode})", "".join(kept))


def binary_path(build_dir, manifest):
    return Path(build_dir) / "bin" / manifest.binary_name


def list_tests(binary, extra_args=()):
    """The names of the test cases compiled into a test binary (one per line of its
    --list-test-names-only output; other lines, like the seed the main prints, are harmless
    because callers only look names up). Catch2 exits with the number of tests listed, so the
    exit status means nothing here, except a crash."""
    try:
        result = subprocess.run([str(binary), *extra_args, "--list-test-names-only"],
                                capture_output=True, text=True, errors="replace", timeout=60)
    except OSError as e:
        raise BuildError(f"cannot run {binary}: {e.strerror}", "") from None
    if result.returncode < 0:
        raise BuildError(f"{binary} --list-test-names-only crashed (signal "
                         f"{-result.returncode})", result.stdout + result.stderr)
    return {line.strip() for line in result.stdout.splitlines() if line.strip()}


def supports_option(binary, option, known_test):
    """Whether a test binary accepts an option: with it, the binary must still list
    known_test (a binary that rejects an option prints its usage instead)."""
    return known_test in list_tests(binary, (option,))
