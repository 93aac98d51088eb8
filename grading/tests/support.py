"""Shared helpers of the grader's Python tests: a fake build tree and fake manifests.

Run every test with
    PYTHONPATH=grading python3 -m unittest discover -s grading/tests -t grading/tests
(tools/selftest.d/70-grader.sh does).
"""

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "grading"))

from grader import __main__ as cli  # noqa: E402

FAKE_BINARY = HERE / "fake_tests.py"


def fake_manifest(tests, lab="fake", runs=1, run_seconds=4, memory_mb=128, **extra):
    """A manifest dict for fake_tests.py; tests: names, or (name, points, hidden) tuples."""
    entries = []
    for t in tests:
        name, points, hidden = (t, 1, False) if isinstance(t, str) else t
        entries.append({"name": name, "points": points, "hidden": hidden})
    doc = {"lab": lab, "title": "Fake lab", "suite": lab, "build_target": f"{lab}_tests",
           "student_files": ["fake/student.cpp"], "runs": runs,
           "limits": {"run_seconds": run_seconds, "total_seconds": 60, "memory_mb": memory_mb},
           "parts": [{"name": "A", "tests": entries}]}
    doc.update(extra)
    return doc


class FakeTree:
    """A temporary folder with bin/<lab>_tests (running fake_tests.py) and labs/<lab>.json;
    with hidden=True also bin/<lab>_hidden_tests (the same fake). python: the interpreter the
    binaries run (one the grading users may run, for --isolate)."""

    def __init__(self, manifest, hidden=False, python=sys.executable):
        self.dir = Path(tempfile.mkdtemp(prefix="grader-test-"))
        (self.dir / "bin").mkdir()
        (self.dir / "labs").mkdir()
        fake = self.dir / FAKE_BINARY.name   # a copy, readable wherever the repository is
        shutil.copy2(FAKE_BINARY, fake)
        names = ["tests"] + (["hidden_tests"] if hidden else [])
        for name in names:
            binary = self.dir / "bin" / f"{manifest['suite']}_{name}"
            # A shell wrapper rather than a symlink: the system Python starts fastest.
            binary.write_text(f'#!/bin/sh\nexec {python} {fake} "$@"\n')
            binary.chmod(0o755)
        self.manifest_path = self.dir / "labs" / f"{manifest['lab']}.json"
        self.manifest_path.write_text(json.dumps(manifest))

    def grade(self, *args):
        """Runs `grade` in-process. Returns (exit status, stdout text)."""
        argv = ["grade", "--manifest", str(self.manifest_path), "--no-build", "--build-dir",
                str(self.dir), "--logs", str(self.dir / "logs"), *args]
        return run_cli(argv)

    def path(self, name):
        return self.dir / name

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def run_cli(argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = cli.main(argv)
    return status, out.getvalue()


def subprocess_env():
    """Environment for running the grader as a separate process."""
    return dict(os.environ, PYTHONPATH=str(REPO / "grading"), PYTHONDONTWRITEBYTECODE="1")
