"""Lab manifests: labs/<lab>.json says what the grader runs and how it scores.

The grader knows a lab only through its manifest and its test binary's command line. A manifest
looks like this (every field is checked when it is loaded; see FIELDS below):

    {
      "lab": "raft",                        # must equal the file name (labs/raft.json)
      "title": "Lab 2: Raft",
      "suite": "raft",                      # binary bin/raft_tests; replay: ./lab test raft ...
      "build_target": "raft_tests",         # what `cmake --build` builds before grading
      "student_files": ["raft/raft.h", "raft/raft.cpp"],
      "runs": 3,                            # runs per test (each with its own seed)
      "scoring": "all-runs",                # or "fraction": points * passed runs / runs
      "limits": {"run_seconds": 120,        # wall clock per run; the run is killed after it
                 "total_seconds": 600,      # wall clock for one run of every test
                 "memory_mb": 4096,         # address-space limit per run (0: none)
                 "output_mb": 256,          # largest log a run may write (0: none)
                 "processes": 1024},        # processes + threads of a run, when isolated
      "test_args": [],                      # extra arguments for every run
      "strategy": "random",                 # schedule strategy of every run (random, pct,
                                            # jitter, swarm; labrpc/runtime/strategy.h); a
                                            # test may set its own
      "parts": [
        {"name": "2A", "title": "leader election", "points": 15,   # points: optional check
         "tests": [
           {"name": "TestInitialElection2A", "points": 5},
           {"name": "TestSecret2A", "points": 5, "hidden": true,
            "visibility": "after_published", "tags": ["election"],
            "strategy": "jitter"}]}]
    }

An invalid manifest raises ManifestError whose message names the file and the field, for
example: labs/raft.json: parts[0].tests[2].points: expected a number >= 0, got "five".
"""

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

# Gradescope's visibility values (the grader passes them through to results.json).
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
SCORING_MODES = ("all-runs", "fraction")
# The test binaries' --strategy values (labrpc/runtime/strategy.h).
STRATEGIES = ("random", "pct", "jitter", "swarm")

# Lab, suite and part names are plain identifiers. Test names may also hold spaces, dots,
# colons and dashes, but none of the characters Catch2 treats specially in a test filter
# (, [ ] * ~ " \), so the grader can pass the exact name as the filter.
_IDENT = re.compile(r"^[A-Za-z0-9_-]+$")
_TEST_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .:-]*$")


class ManifestError(Exception):
    """A manifest is missing, unreadable or invalid. The message names the file and field."""


@dataclass(frozen=True)
class Limits:
    run_seconds: float
    total_seconds: float
    memory_mb: int
    output_mb: int
    processes: int = 1024   # RLIMIT_NPROC of an isolated run's user (0: none)


@dataclass(frozen=True)
class TestSpec:
    name: str
    part: str
    points: float
    hidden: bool
    visibility: str
    tags: tuple
    strategy: str = "random"   # the schedule strategy of its runs (the lab's unless its own)


@dataclass(frozen=True)
class Part:
    name: str
    title: str
    tests: tuple

    @property
    def points(self):
        return sum(t.points for t in self.tests)


@dataclass(frozen=True)
class Manifest:
    lab: str
    title: str
    suite: str
    build_target: str
    student_files: tuple
    runs: int
    scoring: str
    limits: Limits
    test_args: tuple
    parts: tuple
    source: str = ""            # where it was read from, for messages
    raw: dict = field(default=None, compare=False, repr=False)  # the JSON as read

    @property
    def binary_name(self):
        return f"{self.suite}_tests"

    @property
    def hidden_target(self):
        """The binary of the hidden tests, where grading/hidden/<suite>/ exists (it is built
        apart, so the public binary holds no hidden test: grading/hidden/README.md)."""
        return f"{self.suite}_hidden_tests"

    def has_hidden_tests(self):
        return any(t.hidden for t in self.tests())

    def tests(self):
        """Every test of the lab, in manifest order."""
        return [t for p in self.parts for t in p.tests]

    def max_points(self):
        return sum(p.points for p in self.parts)


# --- Validation helpers: each takes the value and its path, returns the clean value. -------

class _Checker:
    def __init__(self, source):
        self.source = source

    def fail(self, path, message):
        raise ManifestError(f"{self.source}: {path}: {message}")

    def object(self, value, path, required, optional=()):
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_show(value)}")
        allowed = set(required) | set(optional) | {"description"}
        for key in value:
            if key not in allowed:
                self.fail(_join(path, key),
                          f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                self.fail(_join(path, key), "missing (required)")
        return value

    def string(self, value, path, pattern=None, what="a string"):
        if not isinstance(value, str) or not value:
            self.fail(path, f"expected {what}, got {_show(value)}")
        if pattern is not None and not pattern.match(value):
            self.fail(path, f"expected {what}, got {_show(value)}")
        return value

    def number(self, value, path, minimum=0.0, integer=False, strict=False):
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or not math.isfinite(value):
            kind = "an integer" if integer else "a number"
            self.fail(path, f"expected {kind} {'>' if strict else '>='} {minimum:g}, "
                            f"got {_show(value)}")
        if value < minimum or (strict and value == minimum):
            self.fail(path, f"must be {'>' if strict else '>='} {minimum:g}, got {value}")
        return value

    def boolean(self, value, path):
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {_show(value)}")
        return value

    def choice(self, value, path, choices):
        if value not in choices:
            self.fail(path, f"expected one of {', '.join(choices)}, got {_show(value)}")
        return value

    def list_of(self, value, path, item, allow_empty=True):
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {_show(value)}")
        if not value and not allow_empty:
            self.fail(path, "must not be empty")
        return [item(v, f"{path}[{i}]") for i, v in enumerate(value)]

    def relative_path(self, value, path):
        self.string(value, path, what="a relative path")
        parts = Path(value).parts
        if value.startswith("/") or ".." in parts or "\\" in value:
            self.fail(path, f"expected a path inside the repository, got {_show(value)}")
        return value


def _join(path, key):
    return f"{path}.{key}" if path else key


def _show(value):
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value)


# --- Parsing ------------------------------------------------------------------------------

def parse_manifest(data, source="<manifest>", expected_lab=None):
    """Checks a manifest's JSON value and returns a Manifest. Raises ManifestError."""
    c = _Checker(source)
    c.object(data, "", required=("lab", "title", "suite", "build_target", "student_files",
                                 "runs", "limits", "parts"),
             optional=("scoring", "test_args", "strategy"))
    lab = c.string(data["lab"], "lab", _IDENT, "a name of letters, digits, _ or -")
    if expected_lab is not None and lab != expected_lab:
        c.fail("lab", f"is {_show(lab)} but the file is named {expected_lab}.json")
    limits = _parse_limits(c, data["limits"])
    strategy = c.choice(data.get("strategy", "random"), "strategy", STRATEGIES)
    parts = c.list_of(data["parts"], "parts", lambda v, p: _parse_part(c, v, p, strategy),
                      allow_empty=False)
    _check_unique(c, [(p.name, f"parts[{i}].name") for i, p in enumerate(parts)], "part")
    _check_unique(c, [(t.name, f"parts[{i}].tests[{j}].name")
                      for i, p in enumerate(parts) for j, t in enumerate(p.tests)], "test")
    return Manifest(
        lab=lab,
        title=c.string(data["title"], "title"),
        suite=c.string(data["suite"], "suite", _IDENT, "a suite name (letters, digits, _, -)"),
        build_target=c.string(data["build_target"], "build_target", _IDENT, "a CMake target"),
        student_files=tuple(c.list_of(data["student_files"], "student_files",
                                      c.relative_path)),
        runs=c.number(data["runs"], "runs", minimum=1, integer=True),
        scoring=c.choice(data.get("scoring", "all-runs"), "scoring", SCORING_MODES),
        limits=limits,
        test_args=tuple(c.list_of(data.get("test_args", []), "test_args", c.string)),
        parts=tuple(parts),
        source=source,
        raw=data,
    )


def _parse_limits(c, value):
    c.object(value, "limits", required=("run_seconds", "total_seconds"),
             optional=("memory_mb", "output_mb", "processes"))
    return Limits(
        run_seconds=c.number(value["run_seconds"], "limits.run_seconds", strict=True),
        total_seconds=c.number(value["total_seconds"], "limits.total_seconds", strict=True),
        memory_mb=c.number(value.get("memory_mb", 4096), "limits.memory_mb", integer=True),
        output_mb=c.number(value.get("output_mb", 256), "limits.output_mb", integer=True),
        processes=c.number(value.get("processes", 1024), "limits.processes", integer=True),
    )


def _parse_part(c, value, path, strategy):
    c.object(value, path, required=("name", "tests"), optional=("title", "points"))
    name = c.string(value["name"], f"{path}.name", _IDENT, "a part name (letters, digits, _, -)")
    tests = c.list_of(value["tests"], f"{path}.tests",
                      lambda v, p: _parse_test(c, v, p, name, strategy), allow_empty=False)
    part = Part(name=name, title=c.string(value.get("title", name), f"{path}.title"),
                tests=tuple(tests))
    if "points" in value:
        declared = c.number(value["points"], f"{path}.points")
        if abs(declared - part.points) > 1e-9:
            c.fail(f"{path}.points", f"is {declared:g} but the tests' points add up to "
                                     f"{part.points:g}")
    return part


def _parse_test(c, value, path, part_name, lab_strategy):
    c.object(value, path, required=("name", "points"),
             optional=("hidden", "visibility", "tags", "strategy"))
    hidden = c.boolean(value.get("hidden", False), f"{path}.hidden")
    # Hidden tests are shown to students only once the instructor publishes the grades.
    default_visibility = "after_published" if hidden else "visible"
    return TestSpec(
        name=c.string(value["name"], f"{path}.name", _TEST_NAME,
                      "a test name (letters, digits and _ .:- or spaces)"),
        part=part_name,
        points=c.number(value["points"], f"{path}.points"),
        hidden=hidden,
        visibility=c.choice(value.get("visibility", default_visibility), f"{path}.visibility",
                            VISIBILITIES),
        tags=tuple(c.list_of(value.get("tags", []), f"{path}.tags", c.string)),
        strategy=c.choice(value.get("strategy", lab_strategy), f"{path}.strategy", STRATEGIES),
    )


def _check_unique(c, names_and_paths, what):
    seen = {}
    for name, path in names_and_paths:
        if name in seen:
            c.fail(path, f"duplicate {what} name {_show(name)} (also at {seen[name]})")
        seen[name] = path


def load_manifest(path):
    """Reads and checks one manifest file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ManifestError(f"{path}: cannot read: {e.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ManifestError(f"{path}: line {e.lineno} column {e.colno}: invalid JSON: "
                            f"{e.msg}") from None
    return parse_manifest(data, source=str(path), expected_lab=path.stem)


def load_all(labs_dir):
    """Every manifest in labs_dir, sorted by lab name. Raises on the first invalid one."""
    return [load_manifest(p) for p in sorted(Path(labs_dir).glob("*.json"))]
