"""Gradescope's results.json: writing it, and checking a document against Gradescope's fields.

Field list from Gradescope's autograder specification ("Output format"):
  top level: score, execution_time, output, output_format, test_output_format,
             test_name_format, visibility, stdout_visibility, extra_data, tests, leaderboard
  each test: score, max_score, status ("passed"/"failed"), name, name_format, number, output,
             output_format, tags, visibility, extra_data
  visibility: "hidden", "after_due_date", "after_published", "visible"
  score is required at the top level unless every test has one.

The grader writes one Gradescope test per lab test (not per run): its output says how many
runs passed and, for a failure, which seed failed, why, how to replay it, and the end of that
run's log. The runs themselves go under extra_data.grader, which `./lab merge-results` reads.
A hidden test's entry says only how many runs passed and, for a failure, the kind of failure
(verdict.private_reason): the student's code ran next to the hidden test, so nothing it wrote,
chose or timed may reach the student through it. The autograder's own output (stdout) is kept
hidden from students.
"""

import json
import os
import tempfile
from pathlib import Path

TOP_FIELDS = ("score", "execution_time", "output", "output_format", "test_output_format",
              "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
              "leaderboard")
TEST_FIELDS = ("score", "max_score", "status", "name", "name_format", "number", "output",
               "output_format", "tags", "visibility", "extra_data")
STATUSES = ("passed", "failed")
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
FORMATS = ("text", "html", "simple_format", "md", "ansi")


def results_document(lab_scores, execution_seconds, summary, grader_data):
    """The results.json document (a dict) for these scores."""
    tests = [_test_entry(t) for lab in lab_scores for t in lab.tests]
    return {
        "score": round(sum(t["score"] for t in tests), 4),
        "execution_time": int(round(execution_seconds)),
        "output": summary,
        "output_format": "text",
        "test_output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"grader": grader_data},
    }


def zero_document(tests, message, why, grader_data):
    """results.json when nothing could be run (missing files, a build error): every selected
    test gets zero, message goes where the student sees it, and each test says why.
    tests: (lab, TestSpec) pairs."""
    entries = [{
        "name": t.name, "score": 0.0, "max_score": float(t.points), "status": "failed",
        "visibility": t.visibility, "output": f"not run: {why}",
        "tags": [lab, t.part] + (["hidden"] if t.hidden else []) + list(t.tags),
    } for lab, t in tests]
    return {"score": 0.0, "execution_time": 0, "output": message, "output_format": "text",
            "test_output_format": "text", "stdout_visibility": "hidden", "tests": entries,
            "extra_data": {"grader": grader_data}}


def _times(t):
    """How long the runs took: virtual time for a simulated test (wall time beside it)."""
    mean, worst = t.seconds()
    if mean is None:
        return ""
    virtual_mean, virtual_worst = t.virtual_seconds()
    if virtual_mean is None:
        return f"; mean {mean:.1f} s, max {worst:.1f} s"
    return (f"; virtual time mean {virtual_mean:.1f} s, max {virtual_worst:.1f} s "
            f"(real time of the slowest run {worst:.2f} s)")


def _test_entry(t):
    if t.test.hidden:
        return _hidden_test_entry(t)
    lines = [f"passed {t.passes} of {t.planned} run(s){_times(t)}"]
    failure = t.first_failure()
    if failure is not None:
        lines += [f"run {failure.run_index + 1} (seed {failure.seed}): {failure.reason}",
                  f"replay: {failure.replay}"]
        if failure.hint:
            lines.append(failure.hint)
        if failure.log_tail:
            lines += ["--- end of that run's output ---", failure.log_tail]
    return {
        "name": t.test.name,
        "number": t.number,
        "score": round(t.earned, 4),
        "max_score": float(t.test.points),
        "status": "passed" if t.passed else "failed",
        "output": "\n".join(lines),
        "visibility": t.test.visibility,
        "tags": [t.lab, t.part] + (["hidden"] if t.test.hidden else []) + list(t.test.tags),
        "extra_data": {"lab": t.lab, "runs": t.planned, "passed_runs": t.passes,
                       "wall_seconds_max": t.seconds()[1],
                       "virtual_seconds_mean": t.virtual_seconds()[0],
                       "virtual_seconds_max": t.virtual_seconds()[1]},
    }


def _hidden_test_entry(t):
    lines = [f"passed {t.passes} of {t.planned} run(s)"]
    failure = t.first_failure()
    if failure is not None:
        lines.append(f"run {failure.run_index + 1} (seed {failure.seed}): {failure.reason}")
    return {
        "name": t.test.name,
        "number": t.number,
        "score": round(t.earned, 4),
        "max_score": float(t.test.points),
        "status": "passed" if t.passed else "failed",
        "output": "\n".join(lines),
        "visibility": t.test.visibility,
        "tags": [t.lab, t.part, "hidden"] + list(t.test.tags),
        "extra_data": {"lab": t.lab, "runs": t.planned, "passed_runs": t.passes},
    }


def write(document, path):
    """Writes document to path whole or not at all (a temporary file renamed over it)."""
    problems = check(document)
    if problems:   # a bug in the grader, not in the student's code
        raise AssertionError("results.json would not match Gradescope's format: "
                             + "; ".join(problems))
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=".results-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=2)
            f.write("\n")
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check(doc):
    """Problems with a results.json document, [] if it matches Gradescope's format."""
    problems = []
    if not isinstance(doc, dict):
        return ["the document is not a JSON object"]
    problems += [f"unknown top-level field '{k}'" for k in doc if k not in TOP_FIELDS]
    _check_types(doc, "", problems, numbers=("score", "execution_time"),
                 strings=("output",), choices={"output_format": FORMATS,
                                               "test_output_format": FORMATS,
                                               "test_name_format": FORMATS,
                                               "visibility": VISIBILITIES,
                                               "stdout_visibility": VISIBILITIES})
    tests = doc.get("tests", [])
    if not isinstance(tests, list):
        return problems + ["'tests' is not a list"]
    if "score" not in doc and not all(isinstance(t, dict) and "score" in t for t in tests):
        problems.append("no top-level 'score' and not every test has one")
    for i, t in enumerate(tests):
        where = f"tests[{i}]"
        if not isinstance(t, dict):
            problems.append(f"{where} is not an object")
            continue
        problems += [f"{where}: unknown field '{k}'" for k in t if k not in TEST_FIELDS]
        _check_types(t, where + ": ", problems, numbers=("score", "max_score"),
                     strings=("name", "number", "output"),
                     choices={"status": STATUSES, "visibility": VISIBILITIES,
                              "output_format": FORMATS, "name_format": FORMATS})
        tags = t.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(x, str) for x in tags):
            problems.append(f"{where}: 'tags' must be a list of strings")
    return problems


def _check_types(obj, where, problems, numbers, strings, choices):
    for k in numbers:
        if k in obj and (isinstance(obj[k], bool) or not isinstance(obj[k], (int, float))):
            problems.append(f"{where}'{k}' must be a number")
    for k in strings:
        if k in obj and not isinstance(obj[k], str):
            problems.append(f"{where}'{k}' must be a string")
    for k, allowed in choices.items():
        if k in obj and obj[k] not in allowed:
            problems.append(f"{where}'{k}' must be one of {', '.join(allowed)}")
