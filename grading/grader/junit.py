"""JUnit XML, the report format CI systems (GitLab, Jenkins, GitHub actions) display.

One <testsuite> per lab part, one <testcase> per test. A test with a failing run gets a
<failure> listing every failing run (seed, reason, replay command, hint); a test none of whose
runs ran is <skipped>. Each test's runs and points are also in <properties>.

A testcase's time is the sum over its runs of the time the test itself counts: virtual seconds
for a simulated test (the property "clock" says "virtual"; "wall_seconds" gives real time),
wall-clock seconds otherwise ("clock" is "wall").
"""

import re
import xml.etree.ElementTree as ET

from .results import FAILED, NOT_RUN

# XML 1.0 forbids most control characters; test output may hold them (colour escapes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text):
    return _NOT_XML.sub("?", str(text))


def document(lab_scores):
    root = ET.Element("testsuites", name="lab grade")
    totals = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for lab in lab_scores:
        for part in lab.manifest.parts:
            tests = [t for t in lab.tests if t.part == part.name]
            if tests:
                counts = _suite(root, lab.manifest.lab, part.name, tests)
                for k in totals:
                    totals[k] += counts[k]
    for k, v in totals.items():
        root.set(k, f"{v:.3f}" if k == "time" else str(v))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(root, lab, part, tests):
    suite = ET.SubElement(root, "testsuite", name=f"{lab}.{part}")
    counts = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for t in tests:
        wall = sum(r.seconds for r in t.runs)
        virtual = [r.virtual_seconds for r in t.runs if r.virtual_seconds is not None]
        seconds = sum(virtual) if t.simulated else wall
        mean, _ = t.virtual_seconds() if t.simulated else t.seconds()
        case = ET.SubElement(suite, "testcase", classname=f"{lab}.{part}", name=t.test.name,
                             time=f"{seconds:.3f}")
        props = ET.SubElement(case, "properties")
        for name, value in (("runs", t.planned), ("passed_runs", t.passes),
                            ("points", t.earned), ("max_points", t.test.points),
                            ("clock", "virtual" if t.simulated else "wall"),
                            ("mean_seconds", "" if mean is None else f"{mean:.3f}"),
                            ("wall_seconds", f"{wall:.3f}")):
            ET.SubElement(props, "property", name=name, value=str(value))
        failing = [r for r in t.runs if r.status == FAILED]
        counts["tests"] += 1
        counts["time"] += seconds
        if failing:
            counts["failures"] += 1
            failure = ET.SubElement(case, "failure", message=_clean(failing[0].reason),
                                    type="failed run")
            failure.text = _clean("\n".join(f"run {r.run_index + 1} (seed {r.seed}): {r.reason}\n"
                                     f"  replay: {r.replay}\n"
                                     + (f"  {r.hint}\n" if r.hint else "")
                                     + f"  log: {r.log or '-'}"
                                     for r in failing))
        elif t.not_run == t.planned:
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=_clean(t.runs[0].reason))
        elif t.not_run:
            counts["failures"] += 1
            ET.SubElement(case, "failure", message=f"{t.not_run} run(s) did not run",
                          type="not run")
    for k, v in counts.items():
        suite.set(k, f"{v:.3f}" if k == "time" else str(v))
    return counts


def write(lab_scores, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write(document(lab_scores))
