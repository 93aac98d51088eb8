"""The final report printed after a session: one table row per test, the reason under every
test that lost points, then the failing runs with their logs and replay commands, then the
hints those runs gave (where the debug log is, or how to get one).

Times: a test that runs in the simulator shows its virtual time (the simulator's clock, which
its limits count and which the original Go tests print), with the real time of its slowest run
beside it; other tests (real processes, the real backend) show real time."""

from pathlib import Path

from .results import NOT_RUN, PASSED
from .scoring import total

_MAX_RUNS_LISTED_PER_TEST = 1


def _points(x):
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _secs(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def render(lab_scores, header_lines=(), notes=()):
    """The whole report as one string."""
    out = list(header_lines)
    for lab in lab_scores:
        out += _lab_table(lab)
    earned, possible = total(lab_scores)
    if len(lab_scores) > 1:
        out.append(f"TOTAL {_points(earned)} / {_points(possible)}")
    out += _failing_runs(lab_scores)
    out += [f"note: {n}" for n in notes]
    return "\n".join(out) + "\n"


def _times(t, simulated):
    """The time cells of a test's row (see _lab_table's header)."""
    mean, worst = t.seconds()
    if not simulated:
        return [_secs(mean), _secs(worst)]
    virtual_mean, virtual_worst = t.virtual_seconds()
    return [_secs(virtual_mean), _secs(virtual_worst), _secs(worst, 2)]


def _lab_table(lab):
    m = lab.manifest
    simulated = any(t.simulated for t in lab.tests)
    times = ["virtual s", "max", "wall s"] if simulated else ["wall s", "max"]
    rows = [("part", "test", "passed", "failed", *times, "points")]
    reasons = {}
    for t in lab.tests:
        passed = f"{t.passes}/{t.planned}"
        failed = str(t.failures) + (f" +{t.not_run} not run" if t.not_run else "")
        rows.append((t.part, t.test.name + (" (hidden)" if t.test.hidden else ""), passed,
                     failed, *_times(t, simulated),
                     f"{_points(t.earned)}/{_points(t.test.points)}"))
        first = t.first_failure()
        if first is not None:
            reasons[len(rows) - 1] = first.reason
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = set(range(2, len(rows[0])))
    lines = [f"{m.title} ({m.lab})"]
    for i, row in enumerate(rows):
        cells = [c.rjust(w) if j in right else c.ljust(w) for j, (c, w) in
                 enumerate(zip(row, widths))]
        lines.append("  " + "  ".join(cells).rstrip())
        if i in reasons:
            lines.append(f"      -> {reasons[i]}")
    lines.append(f"  score: {_points(lab.earned)} / {_points(lab.max_points)}")
    if simulated:
        lines.append("  virtual s, max: the simulator's clock (mean, longest run), which the "
                     "tests' limits count;")
        lines.append("  wall s: real time of the slowest run")
    lines.append("")
    return lines


def _failing_runs(lab_scores):
    """One line per failing run (at most a few per test): seed, replay command, and the reason
    when it differs from the one already shown under the test's row."""
    lines = []
    hints = []
    skipped = 0
    for lab in lab_scores:
        for t in lab.tests:
            failing = [r for r in t.runs if r.status not in (PASSED, NOT_RUN)]
            first = t.first_failure()
            for r in failing[:_MAX_RUNS_LISTED_PER_TEST]:
                lines.append(f"  {r.lab}/{r.test} run {r.run_index + 1} (seed {r.seed}): "
                             f"{r.replay}")
                if r.timeline:
                    lines.append(f"      timeline: {r.timeline}")
                if r.reason != first.reason:
                    lines.append(f"      {r.reason}")
            skipped += max(0, len(failing) - _MAX_RUNS_LISTED_PER_TEST)
            for r in failing:
                if r.hint and r.hint not in hints:
                    hints.append(r.hint)
    if not lines:
        return []
    logs = {str(Path(r.log).parent) for lab in lab_scores for t in lab.tests for r in t.runs
            if r.log}
    header = "Failing runs, with the command that replays each"
    header += f" (logs in {', '.join(sorted(logs))}):" if logs else ":"
    if skipped:
        lines.append(f"  ... and {skipped} more failing run(s), with logs in the same folder")
    lines += [f"  {hint}" for hint in hints]
    return [header] + lines + [""]
