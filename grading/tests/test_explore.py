"""./lab explore: seeds round robin over the tests, failures counted, kept and replayable."""

import json
import os
import unittest

import support
from grader.explore import wilson_interval


class Interval(unittest.TestCase):
    def test_no_failure_still_bounds_the_rate(self):
        low, high = wilson_interval(0, 300)
        self.assertEqual(low, 0.0)
        self.assertAlmostEqual(high, 0.0126, places=3)   # about 3.8 / n

    def test_contains_the_observed_rate(self):
        for failures, runs in ((1, 10), (5, 10), (10, 10), (3, 1000)):
            low, high = wilson_interval(failures, runs)
            self.assertLessEqual(low, failures / runs)
            self.assertGreaterEqual(high, failures / runs)
            self.assertTrue(0 <= low <= high <= 1)


class Explore(unittest.TestCase):
    def setUp(self):
        self.tree = support.FakeTree(support.fake_manifest(["Pass", "PassOnEvenSeed"]))
        self.old_root = os.environ.get("LAB_ROOT")
        os.environ["LAB_ROOT"] = str(self.tree.dir)

    def tearDown(self):
        if self.old_root is None:
            os.environ.pop("LAB_ROOT", None)
        else:
            os.environ["LAB_ROOT"] = self.old_root
        self.tree.cleanup()

    def explore(self, *args):
        out = self.tree.path("explore.json")
        status, text = support.run_cli(
            ["explore", "fake", *args, "--binary", str(self.tree.path("bin/fake_tests")),
             "--no-build", "--logs", str(self.tree.path("logs")), "--json", str(out),
             "-j", "3", "--quiet"])
        return status, text, json.loads(out.read_text()) if out.exists() else None

    def test_counts_every_failure_and_keeps_the_first(self):
        status, text, doc = self.explore("--seeds", "10", "--seed", "1", "--keep", "2")
        self.assertEqual(status, 1, text)
        tests = {t["test"]: t for t in doc["tests"]}
        self.assertEqual(tests["Pass"]["failures"], 0)
        self.assertEqual(tests["Pass"]["runs"], 10)
        odd = tests["PassOnEvenSeed"]
        self.assertEqual((odd["runs"], odd["failures"]), (10, 5))
        self.assertEqual(odd["failing_seeds"], [1, 3, 5, 7, 9])
        self.assertEqual(len(odd["first_failures"]), 2)
        first = odd["first_failures"][0]
        self.assertEqual(first["replay"],
                         './lab test fake "PassOnEvenSeed" --seed 1 --strategy swarm')
        self.assertTrue(os.path.isfile(first["log"]))
        self.assertIn("--strategy swarm", open(first["log"]).readline())
        self.assertIn(first["replay"], text)

    def test_one_test_by_name_and_a_strategy(self):
        status, text, doc = self.explore("Pass", "--seeds", "4", "--strategy", "pct")
        self.assertEqual(status, 0, text)
        self.assertEqual([t["test"] for t in doc["tests"]], ["Pass"])
        self.assertEqual(doc["strategy"], "pct")
        self.assertIn("No run failed.", text)

    def test_until_fail_stops_early(self):
        status, text, doc = self.explore("PassOnEvenSeed", "--seeds", "50", "--seed", "2",
                                         "--until-fail", "-j", "1")
        self.assertEqual(status, 1, text)
        self.assertLess(doc["runs"], 50)
        self.assertIn("--until-fail", doc["stopped_early"])

    def test_wrong_command_lines(self):
        for args in (["NoSuchPart"], ["--seeds", "0"], ["--keep", "-1"]):
            status, text, _ = self.explore(*args)
            self.assertEqual(status, 2, (args, text))
        status, text = support.run_cli(["explore", "nolab", "--no-build"])
        self.assertEqual(status, 2)
        self.assertIn("not a lab", text)
        # A student's handout has no solution/ folders.
        status, text = support.run_cli(["explore", "fake", "--solution"])
        self.assertEqual(status, 2)
        self.assertIn("fake/solution/", text)


if __name__ == "__main__":
    unittest.main()
