"""The final report printed after a session: one table row per test, the reason under every
test that lost points, then the failing runs with their logs and replay commands."""

from pathlib import Path

from .results import NOT_RUN, PASSED
from .scoring import total

_MAX_RUNS_LISTED_PER_TEST = 1


def _points(x):
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _secs(x):
    return "-" if x is None else f"{x:.1f}"


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


def _lab_table(lab):
    m = lab.manifest
    rows = [("part", "test", "passed", "failed", "mean s", "max s", "points")]
    reasons = {}
    for t in lab.tests:
        mean, worst = t.seconds()
        passed = f"{t.passes}/{t.planned}"
        failed = str(t.failures) + (f" +{t.not_run} not run" if t.not_run else "")
        rows.append((t.part, t.test.name + (" (hidden)" if t.test.hidden else ""), passed,
                     failed, _secs(mean), _secs(worst),
                     f"{_points(t.earned)}/{_points(t.test.points)}"))
        first = t.first_failure()
        if first is not None:
            reasons[len(rows) - 1] = first.reason
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {2, 3, 4, 5, 6}
    lines = [f"{m.title} ({m.lab})"]
    for i, row in enumerate(rows):
        cells = [c.rjust(w) if j in right else c.ljust(w) for j, (c, w) in
                 enumerate(zip(row, widths))]
        lines.append("  " + "  ".join(cells).rstrip())
        if i in reasons:
            lines.append(f"      -> {reasons[i]}")
    lines.append(f"  score: {_points(lab.earned)} / {_points(lab.max_points)}")
    lines.append("")
    return lines


def _failing_runs(lab_scores):
    """One line per failing run (at most a few per test): seed, replay command, and the reason
    when it differs from the one already shown under the test's row."""
    lines = []
    skipped = 0
    for lab in lab_scores:
        for t in lab.tests:
            failing = [r for r in t.runs if r.status not in (PASSED, NOT_RUN)]
            first = t.first_failure()
            for r in failing[:_MAX_RUNS_LISTED_PER_TEST]:
                lines.append(f"  {r.lab}/{r.test} run {r.run_index + 1} (seed {r.seed}): "
                             f"{r.replay}")
                if r.reason != first.reason:
                    lines.append(f"      {r.reason}")
            skipped += max(0, len(failing) - _MAX_RUNS_LISTED_PER_TEST)
    if not lines:
        return []
    logs = {str(Path(r.log).parent) for lab in lab_scores for t in lab.tests for r in t.runs
            if r.log}
    header = "Failing runs, with the command that replays each"
    header += f" (logs in {', '.join(sorted(logs))}):" if logs else ":"
    if skipped:
        lines.append(f"  ... and {skipped} more failing run(s), with logs in the same folder")
    return [header] + lines + [""]
