"""Manifests: the real ones load, and every kind of mistake is an error naming its field."""

import copy
import json
import tempfile
import unittest
from pathlib import Path

import support
from grader.manifest import ManifestError, load_all, load_manifest, parse_manifest


def valid():
    return support.fake_manifest(["TestA", "TestB"])


class RealManifests(unittest.TestCase):
    def test_every_manifest_in_labs_is_valid(self):
        manifests = load_all(support.REPO / "labs")
        self.assertIn("raft", [m.lab for m in manifests])

    def test_raft_has_the_28_tests_by_part_and_two_scenarios(self):
        raft = load_manifest(support.REPO / "labs" / "raft.json")
        by_part = {p.name: len(p.tests) for p in raft.parts}
        self.assertEqual(by_part, {"2A": 3, "2B": 10, "2C": 10, "2D": 7})
        self.assertEqual([t.name for t in raft.parts[2].tests[-2:]],
                         ["TestFigure8Scenario2C", "TestOneVotePerTerm2C"])
        names = [t.name for t in raft.tests()]
        for added_in_2023 in ("TestFollowerFailure2B", "TestLeaderFailure2B",
                              "TestSnapshotInit2D"):
            self.assertIn(added_in_2023, names)
        self.assertAlmostEqual(raft.max_points(), 100)
        self.assertEqual(raft.student_files, ("raft/raft.h", "raft/raft.cpp"))

    def test_grader_fake_manifest_is_valid(self):
        load_manifest(support.HERE / "grader_fake.json")


class Mistakes(unittest.TestCase):
    def assertRejected(self, mutate, field, words=""):
        doc = valid()
        mutate(doc)
        with self.assertRaises(ManifestError) as caught:
            parse_manifest(doc, source="labs/fake.json")
        message = str(caught.exception)
        self.assertIn(f"labs/fake.json: {field}:", message)
        self.assertIn(words, message)

    def test_missing_field(self):
        self.assertRejected(lambda d: d.pop("suite"), "suite", "missing")

    def test_unknown_field_is_a_typo(self):
        self.assertRejected(lambda d: d.update(point=3), "point", "unknown field")

    def test_points_not_a_number(self):
        def mutate(d):
            d["parts"][0]["tests"][1]["points"] = "five"
        self.assertRejected(mutate, "parts[0].tests[1].points", 'got "five"')

    def test_negative_points(self):
        def mutate(d):
            d["parts"][0]["tests"][0]["points"] = -1
        self.assertRejected(mutate, "parts[0].tests[0].points", ">= 0")

    def test_runs_must_be_a_positive_integer(self):
        self.assertRejected(lambda d: d.update(runs=0), "runs", ">= 1")
        self.assertRejected(lambda d: d.update(runs=1.5), "runs", "integer")
        self.assertRejected(lambda d: d.update(runs=True), "runs", "integer")

    def test_time_limit_must_be_positive(self):
        self.assertRejected(lambda d: d["limits"].update(run_seconds=0), "limits.run_seconds")

    def test_duplicate_test_names(self):
        def mutate(d):
            d["parts"][0]["tests"][1]["name"] = "TestA"
        self.assertRejected(mutate, "parts[0].tests[1].name", "duplicate")

    def test_test_name_with_catch_filter_characters(self):
        def mutate(d):
            d["parts"][0]["tests"][0]["name"] = "Test,A"
        self.assertRejected(mutate, "parts[0].tests[0].name")

    def test_bad_visibility(self):
        def mutate(d):
            d["parts"][0]["tests"][0]["visibility"] = "secret"
        self.assertRejected(mutate, "parts[0].tests[0].visibility", "after_published")

    def test_declared_part_points_must_add_up(self):
        def mutate(d):
            d["parts"][0]["points"] = 10
        self.assertRejected(mutate, "parts[0].points", "add up to 2")

    def test_student_file_outside_the_repository(self):
        self.assertRejected(lambda d: d.update(student_files=["../x.cpp"]), "student_files[0]")

    def test_empty_parts(self):
        self.assertRejected(lambda d: d.update(parts=[]), "parts", "must not be empty")

    def test_lab_must_match_file_name(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "other.json"
            path.write_text(json.dumps(valid()))
            with self.assertRaisesRegex(ManifestError, r"other\.json: lab: .*other\.json"):
                load_manifest(path)

    def test_invalid_json_names_the_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fake.json"
            path.write_text('{"lab": "fake",\n "title": }')
            with self.assertRaisesRegex(ManifestError, r"fake\.json: line 2 column"):
                load_manifest(path)

    def test_hidden_tests_default_to_after_published(self):
        doc = copy.deepcopy(valid())
        doc["parts"][0]["tests"][0]["hidden"] = True
        m = parse_manifest(doc)
        self.assertEqual(m.tests()[0].visibility, "after_published")
        self.assertEqual(m.tests()[1].visibility, "visible")

    def test_strategy_defaults_to_random_and_a_test_may_set_its_own(self):
        doc = copy.deepcopy(valid())
        self.assertEqual([t.strategy for t in parse_manifest(doc).tests()], ["random", "random"])
        doc["strategy"] = "swarm"
        doc["parts"][0]["tests"][1]["strategy"] = "jitter"
        self.assertEqual([t.strategy for t in parse_manifest(doc).tests()], ["swarm", "jitter"])

    def test_unknown_strategy(self):
        self.assertRejected(lambda d: d.update(strategy="fifo"), "strategy", "swarm")

        def mutate(d):
            d["parts"][0]["tests"][0]["strategy"] = "chaos"
        self.assertRejected(mutate, "parts[0].tests[0].strategy", "jitter")


if __name__ == "__main__":
    unittest.main()
