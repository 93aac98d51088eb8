"""Selecting tests, expanding runs with seeds, and slicing shards."""

import unittest

import support  # noqa: F401  (puts the grader on the path)
from grader.manifest import load_all
from grader.plan import (SelectionError, make_plan, parse_shard, select_tests, take_shard)


class Selection(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manifests = load_all(support.REPO / "labs")

    def names(self, *args):
        return [t.name for _, t in select_tests(self.manifests, list(args))]

    def test_lab_part_and_test(self):
        self.assertEqual(len(self.names("raft")), 30)
        self.assertEqual(self.names("2A"), ["TestInitialElection2A", "TestReElection2A",
                                            "TestManyElections2A"])
        self.assertEqual(self.names("raft/2A"), self.names("2A"))
        self.assertEqual(self.names("TestBackup2B"), ["TestBackup2B"])

    def test_order_is_manifest_order_and_duplicates_collapse(self):
        self.assertEqual(self.names("TestCount2B", "2A", "TestInitialElection2A")[:1],
                         ["TestInitialElection2A"])
        self.assertEqual(len(self.names("2A", "TestInitialElection2A")), 3)

    def test_no_names_means_labs_with_student_files(self):
        labs = {m.lab for m, _ in select_tests(self.manifests, [])}
        self.assertIn("raft", labs)
        self.assertNotIn("labrpc", labs)   # no student files: not a lab to grade

    def test_unknown_name_suggests(self):
        with self.assertRaisesRegex(SelectionError, "did you mean TestBackup2B"):
            select_tests(self.manifests, ["TestBackup2"])


class Runs(unittest.TestCase):
    def setUp(self):
        manifests = load_all(support.REPO / "labs")
        self.selected = select_tests(manifests, ["2A"])

    def test_runs_get_distinct_consecutive_seeds(self):
        plan = make_plan(self.selected, 4, 100)
        self.assertEqual(len(plan), 12)
        for test in {r.test.name for r in plan}:
            seeds = [r.seed for r in plan if r.test.name == test]
            self.assertEqual(seeds, [100, 101, 102, 103])

    def test_plan_goes_round_by_round(self):
        plan = make_plan(self.selected, 2, 1)
        self.assertEqual([r.run_index for r in plan], [0, 0, 0, 1, 1, 1])

    def test_default_runs_come_from_the_manifest(self):
        self.assertEqual(len(make_plan(self.selected, None, 1)), 3 * self.selected[0][0].runs)

    def test_shards_partition_the_plan(self):
        plan = make_plan(self.selected, 5, 7)
        for n in (1, 2, 3, 4, 7, 20):
            shards = [take_shard(plan, i, n) for i in range(1, n + 1)]
            keys = [r.key for shard in shards for r in shard]
            self.assertEqual(sorted(keys), sorted(r.key for r in plan))   # all, once each
            sizes = [len(s) for s in shards]
            self.assertLessEqual(max(sizes) - min(sizes), 1)              # balanced

    def test_parse_shard(self):
        self.assertEqual(parse_shard("2/4"), (2, 4))
        for bad in ("0/4", "5/4", "x", "1/0", "1-4"):
            with self.assertRaises(ValueError):
                parse_shard(bad)


if __name__ == "__main__":
    unittest.main()
