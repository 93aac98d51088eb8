"""The grade table, results.json and JUnit: times and the order of reason and hints."""

import unittest
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import support  # noqa: F401
from grader import gradescope, junit, table
from grader.results import FAILED, PASSED, RunResult
from grader.scoring import LabScore, TestScore

REPLAY = './lab test raft "TestA" --seed 5'
HINT = "debug log: off; to get one, put LAB_DEBUG=1 in front of the replay command"


def run(test, status, seconds, virtual, index=0):
    return RunResult(lab="raft", test=test, run_index=index, seed=5 + index, status=status,
                     reason="" if status == PASSED else "failed: not implemented: Raft::Start",
                     hint="" if status == PASSED else HINT, seconds=seconds,
                     virtual_seconds=virtual, replay=REPLAY)


def lab_score(runs_by_test):
    tests = []
    for name, runs in runs_by_test.items():
        spec = SimpleNamespace(name=name, part="2B", points=5, hidden=False, tags=[],
                               visibility="visible")
        score = TestScore(lab="raft", part="2B", test=spec, number="2B.1", runs=runs)
        score.earned = 5.0 if all(r.status == PASSED for r in runs) else 0.0
        tests.append(score)
    part = SimpleNamespace(name="2B", tests=[t.test for t in tests])
    manifest = SimpleNamespace(title="Lab 2: Raft", lab="raft", parts=[part])
    return LabScore(manifest=manifest, tests=tests)


class Times(unittest.TestCase):
    def setUp(self):
        self.lab = lab_score({
            "TestA": [run("TestA", FAILED, 0.02, 0.4)],
            "TestB": [run("TestB", PASSED, 0.05, 10.0), run("TestB", PASSED, 0.07, 14.0, 1)],
        })

    def test_table_shows_virtual_seconds_and_wall_beside(self):
        text = table.render([self.lab])
        self.assertRegex(text, r"virtual s +max +wall s +points")
        row = next(line for line in text.splitlines() if "TestB" in line)
        self.assertEqual(row.split()[-4:], ["12.0", "14.0", "0.07", "5/5"])
        self.assertIn("the simulator's clock", text)

    def test_reason_first_then_replay_then_hint(self):
        lines = table.render([self.lab]).splitlines()
        reason = lines.index("      -> failed: not implemented: Raft::Start")
        replay = next(i for i, line in enumerate(lines) if line.endswith(REPLAY))
        self.assertLess(reason, replay)
        self.assertEqual(lines[replay + 1], "  " + HINT)

    def test_results_json_output_and_extra_data(self):
        doc = gradescope.results_document([self.lab], 1.0, "summary", {})
        b = next(t for t in doc["tests"] if t["name"] == "TestB")
        self.assertIn("virtual time mean 12.0 s, max 14.0 s", b["output"])
        self.assertEqual(b["extra_data"]["virtual_seconds_max"], 14.0)
        a = next(t for t in doc["tests"] if t["name"] == "TestA")
        lines = a["output"].splitlines()
        self.assertEqual(lines[1:4], ["run 1 (seed 5): failed: not implemented: Raft::Start",
                                      f"replay: {REPLAY}", HINT])
        self.assertEqual(gradescope.check(doc), [])

    def test_junit_time_is_virtual_for_simulated_tests(self):
        root = ET.fromstring(junit.document([self.lab]).split("\n", 1)[1])
        case = root.find(".//testcase[@name='TestB']")
        self.assertEqual(case.get("time"), "24.000")
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        self.assertEqual(props["clock"], "virtual")
        self.assertEqual(props["wall_seconds"], "0.120")

    def test_wall_time_only_without_virtual_time(self):
        lab = lab_score({"wc": [run("wc", PASSED, 3.0, None)]})
        text = table.render([lab])
        self.assertRegex(text, r"wall s +max +points")
        self.assertNotIn("virtual", text)


if __name__ == "__main__":
    unittest.main()
