"""The plan: which tests to grade, how many runs each, with which seeds, on which shard.

A plan is a list of PlannedRun in one canonical order: round by round (every selected test's
first run, then every test's second run, ...), tests in manifest order. The order matters:
  - an interrupted session has run every test at least once before it repeats any;
  - `--shard i/n` takes every n-th run of this order starting at the i-th, so every machine
    that gets the same command line (except i) computes the same plan and the shards never
    overlap and together cover it.

Seeds: run r of every test uses seed base + r, so `--seed S --runs 1` replays a session's
first run and the seed printed next to a failure replays that run alone.
"""

import difflib
import random
from dataclasses import dataclass

from .manifest import Manifest, TestSpec


class SelectionError(Exception):
    """A command-line name matches no lab, part or test (the message suggests close ones)."""


@dataclass(frozen=True)
class PlannedRun:
    manifest: Manifest
    test: TestSpec
    run_index: int     # 0-based
    seed: int

    @property
    def key(self):
        """Identifies the run independently of its seed (used to merge shards)."""
        return (self.manifest.lab, self.test.name, self.run_index)


def select_tests(manifests, names):
    """Resolves command-line names to (manifest, test) pairs in manifest order.

    A name is a lab ("raft"), a part ("2A", or "raft/2A" when parts share names), or a test
    ("TestBackup2B"). No names means every lab that has student files.
    """
    if not names:
        chosen = [(m, t) for m in manifests if m.student_files for t in m.tests()]
        if not chosen:
            raise SelectionError("no lab with student files; name a lab: "
                                 + ", ".join(m.lab for m in manifests))
        return chosen
    wanted = set()
    for name in names:
        wanted.update(_resolve(manifests, name))
    return [(m, t) for m in manifests for t in m.tests() if (m.lab, t.name) in wanted]


def _resolve(manifests, name):
    """The set of (lab, test name) that one command-line name stands for."""
    lab_name, _, rest = name.partition("/")
    for m in manifests:
        if name == m.lab:
            return {(m.lab, t.name) for t in m.tests()}
        if rest and lab_name == m.lab:
            return _resolve([m], rest)
    parts = [(m, p) for m in manifests for p in m.parts if p.name == name]
    if len(parts) > 1:
        labs = ", ".join(f"{m.lab}/{p.name}" for m, p in parts)
        raise SelectionError(f"part '{name}' exists in several labs; write one of: {labs}")
    if parts:
        m, p = parts[0]
        return {(m.lab, t.name) for t in p.tests}
    tests = {(m.lab, t.name) for m in manifests for t in m.tests() if t.name == name}
    if tests:
        return tests
    known = ([m.lab for m in manifests] + [p.name for m in manifests for p in m.parts]
             + [t.name for m in manifests for t in m.tests()])
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else \
        f"; labs are: {', '.join(m.lab for m in manifests)}"
    raise SelectionError(f"'{name}' is not a lab, part or test{hint}")


def random_base_seed():
    """A fresh base seed, small enough to read and type."""
    return random.SystemRandom().randrange(1, 1_000_000_000)


def make_plan(selected, runs, base_seed):
    """Expands (manifest, test) pairs into runs. runs=None uses each manifest's own count."""
    rounds = max((runs or m.runs) for m, _ in selected) if selected else 0
    plan = []
    for r in range(rounds):
        for m, t in selected:
            if r < (runs or m.runs):
                plan.append(PlannedRun(manifest=m, test=t, run_index=r, seed=base_seed + r))
    return plan


def parse_shard(text):
    """'i/n' with 1 <= i <= n -> (i, n). Raises ValueError with a readable message."""
    try:
        i_text, n_text = text.split("/")
        i, n = int(i_text), int(n_text)
    except ValueError:
        raise ValueError(f"--shard wants i/n, e.g. 2/4, got '{text}'") from None
    if not 1 <= i <= n:
        raise ValueError(f"--shard {text}: i must be between 1 and n")
    return i, n


def take_shard(plan, i, n):
    """Shard i of n (1-based): every n-th run of the canonical order, starting at run i."""
    return [run for k, run in enumerate(plan) if k % n == i - 1]
