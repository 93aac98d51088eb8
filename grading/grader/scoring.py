"""Scoring: from run results to points per test, per part and per lab.

A test's points depend on its runs and its manifest's "scoring":
  - "all-runs" (default): full points only if every planned run passed. A Raft that fails
    one seed in ten has a bug, and 6.824 graded it as one.
  - "fraction": points * passed runs / planned runs.
A run that never started (Ctrl-C, time budget) counts as not passed.
"""

from dataclasses import dataclass, field

from .results import FAILED, NOT_RUN, PASSED


@dataclass
class TestScore:
    lab: str
    part: str
    test: object             # manifest.TestSpec
    number: str              # "2A.1": part and position, for display and Gradescope
    runs: list = field(default_factory=list)   # RunResult of this test, in run order
    earned: float = 0.0      # points given (see _points)

    @property
    def planned(self):
        return len(self.runs)

    @property
    def passes(self):
        return sum(r.status == PASSED for r in self.runs)

    @property
    def failures(self):
        return sum(r.status == FAILED for r in self.runs)

    @property
    def not_run(self):
        return sum(r.status == NOT_RUN for r in self.runs)

    @property
    def passed(self):
        return self.planned > 0 and self.passes == self.planned

    def seconds(self):
        """(mean, max) wall time of the runs that ran, or (None, None)."""
        return _mean_max([r.seconds for r in self.runs if r.status != NOT_RUN])

    def virtual_seconds(self):
        """(mean, max) virtual time of the runs that reported one (simulated tests), or
        (None, None)."""
        return _mean_max([r.virtual_seconds for r in self.runs
                          if r.status != NOT_RUN and r.virtual_seconds is not None])

    @property
    def simulated(self):
        return self.virtual_seconds()[0] is not None

    def first_failure(self):
        for r in self.runs:
            if r.status != PASSED:
                return r
        return None


@dataclass
class LabScore:
    manifest: object
    tests: list              # TestScore, in manifest order

    @property
    def earned(self):
        return sum(t.earned for t in self.tests)

    @property
    def max_points(self):
        return sum(t.test.points for t in self.tests)


def _mean_max(times):
    if not times:
        return None, None
    return sum(times) / len(times), max(times)


def score(plan, results):
    """Groups results by test and gives each test its points. plan and results are parallel
    lists (results[i] is the outcome of plan[i]). Returns LabScores in plan order of labs."""
    by_test = {}
    labs = {}
    for planned, result in zip(plan, results):
        m = planned.manifest
        key = (m.lab, planned.test.name)
        if key not in by_test:
            by_test[key] = TestScore(lab=m.lab, part=planned.test.part, test=planned.test,
                                     number=_number(m, planned.test))
        by_test[key].runs.append(result)
        labs.setdefault(m.lab, m)
    lab_scores = []
    for lab, m in labs.items():
        tests = [by_test[(lab, t.name)] for t in m.tests() if (lab, t.name) in by_test]
        for t in tests:
            t.runs.sort(key=lambda r: r.run_index)
            t.earned = _points(m.scoring, t)
        lab_scores.append(LabScore(manifest=m, tests=tests))
    return lab_scores


def _points(mode, test_score):
    if test_score.planned == 0:
        return 0.0
    if mode == "fraction":
        return test_score.test.points * test_score.passes / test_score.planned
    return float(test_score.test.points) if test_score.passed else 0.0


def _number(manifest, test):
    for part in manifest.parts:
        for i, t in enumerate(part.tests):
            if t.name == test.name:
                return f"{part.name}.{i + 1}"
    return ""


def total(lab_scores):
    return (sum(s.earned for s in lab_scores), sum(s.max_points for s in lab_scores))


def without_hidden(lab_scores):
    """The same scores without the hidden tests (for what students see before publication)."""
    return [LabScore(manifest=lab.manifest, tests=[t for t in lab.tests if not t.test.hidden])
            for lab in lab_scores]
