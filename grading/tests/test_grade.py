"""`grade` end to end on fake_tests.py: hostile runs score zero with a reason and the grader
keeps going; results.json, JUnit, shards and merging; Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import support
from grader import gradescope, isolation
from grader.process import TestProcess

HOSTILE = {   # test name -> words its reason must contain
    "Fail": "failed: REQUIRE( leader >= 0 ) -1 >= 0",
    "ExitZero": "exited with status 0 before the test finished",
    "FakePassLine": "exited with status 0 before the test finished",
    "Abort": "crashed with SIGABRT",
    "Segfault": "crashed with SIGSEGV",
    "Hang": "timed out",
    "Memory": "memory limit of 128 MiB",
    "ForgedRecord": "wrong nonce",
    "TwoRecords": "2 completion records",
    "CrashAfterPass": "then the process crashed with SIGABRT",
    "Missing": "no test named 'Missing'",
    "CloseChannelAndHang": "timed out",
}


class HostileRuns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tests = ["Pass"] + list(HOSTILE) + ["Slow", ("Secret", 5, True)]
        cls.tree = support.FakeTree(support.fake_manifest(tests, run_seconds=8))
        cls.status, cls.out = cls.tree.grade("--seed", "4", "-j", "4",
                                             "--results", str(cls.tree.path("r.json")),
                                             "--junit", str(cls.tree.path("j.xml")))
        cls.doc = json.loads(cls.tree.path("r.json").read_text())
        cls.by_name = {t["name"]: t for t in cls.doc["tests"]}

    @classmethod
    def tearDownClass(cls):
        cls.tree.cleanup()

    def test_each_hostile_test_scores_zero_with_its_reason(self):
        for name, words in HOSTILE.items():
            with self.subTest(name):
                entry = self.by_name[name]
                self.assertEqual(entry["score"], 0)
                self.assertEqual(entry["status"], "failed")
                self.assertIn(words, entry["output"])

    def test_the_honest_tests_still_pass(self):
        for name in ("Pass", "Slow"):
            self.assertEqual(self.by_name[name]["score"], 1)
            self.assertEqual(self.by_name[name]["status"], "passed")
        self.assertEqual(self.doc["score"], 2)
        self.assertEqual(self.status, 1)    # points were lost

    def test_hidden_test_missing_from_binary_is_skipped_with_a_note(self):
        self.assertNotIn("Secret", self.by_name)
        self.assertIn("hidden test(s) are not in this build", self.out)

    def test_results_json_has_gradescope_fields_only(self):
        self.assertEqual(gradescope.check(self.doc), [])
        self.assertTrue(set(self.doc) <= set(gradescope.TOP_FIELDS))
        for entry in self.doc["tests"]:
            self.assertTrue({"name", "score", "max_score", "status", "output", "visibility",
                             "tags"} <= set(entry))
            self.assertTrue(set(entry) <= set(gradescope.TEST_FIELDS))

    def test_failing_runs_keep_a_log_ending_with_the_replay_command(self):
        runs = self.doc["extra_data"]["grader"]["results"]
        fail = next(r for r in runs if r["test"] == "Abort")
        with open(fail["log"]) as f:
            self.assertTrue(f.read().rstrip().endswith('./lab test fake "Abort" --seed 4'))
        passed = next(r for r in runs if r["test"] == "Pass")
        self.assertEqual(passed["log"], "")

    def test_junit_is_well_formed(self):
        root = ET.parse(self.tree.path("j.xml")).getroot()
        self.assertEqual(root.get("tests"), str(len(HOSTILE) + 2))
        self.assertEqual(root.get("failures"), str(len(HOSTILE)))

    def test_table_shows_each_reason(self):
        self.assertIn("-> crashed with SIGSEGV", self.out)
        self.assertIn("score: 2 / ", self.out)


class NoSpinning(unittest.TestCase):
    def test_a_closed_channel_does_not_wake_the_grader_again_and_again(self):
        # The test closes its channel, then hangs: the pipe is at end of file, which select()
        # reports as readable forever. The grader must stop watching it, not spin until the
        # timeout.
        tree = support.FakeTree(support.fake_manifest(["CloseChannelAndHang"], run_seconds=2))
        original = TestProcess.on_readable
        try:
            with mock.patch.object(TestProcess, "on_readable", autospec=True,
                                   side_effect=original) as spy:
                status, out = tree.grade()
            self.assertIn("timed out", out)
            self.assertLess(spy.call_count, 10)
        finally:
            tree.cleanup()


class CommandLine(unittest.TestCase):
    def test_real_is_refused_while_the_binary_rejects_it(self):
        tree = support.FakeTree(support.fake_manifest(["Pass"]))
        try:
            status, out = tree.grade("--real")
            self.assertEqual(status, 2)
            self.assertIn("does not accept --real", out)
        finally:
            tree.cleanup()

    def test_unknown_test_is_a_usage_error(self):
        tree = support.FakeTree(support.fake_manifest(["Pass"]))
        try:
            status, out = tree.grade("Pas")
            self.assertEqual(status, 2)
            self.assertIn("did you mean Pass", out)
        finally:
            tree.cleanup()


class GradescopeCheck(unittest.TestCase):
    def test_check_catches_what_gradescope_would_reject(self):
        good = {"score": 1, "tests": [{"name": "a", "score": 1, "max_score": 1,
                                       "status": "passed", "visibility": "visible"}]}
        self.assertEqual(gradescope.check(good), [])
        bad = {"points": 1, "tests": [{"name": "a", "status": "ok", "visibility": "secret",
                                       "tags": "x", "score": "1"}]}
        problems = "\n".join(gradescope.check(bad))
        for words in ("unknown top-level field 'points'", "'status' must be one of",
                      "'visibility' must be one of", "'tags' must be a list",
                      "'score' must be a number"):
            self.assertIn(words, problems)


class ShardsAndMerge(unittest.TestCase):
    def test_merged_shards_equal_one_session(self):
        tree = support.FakeTree(support.fake_manifest(["Pass", "PassOnEvenSeed", "Fail"]))
        try:
            common = ["--seed", "10", "--runs", "3", "-j", "2"]
            _, _ = tree.grade(*common, "--results", str(tree.path("all.json")))
            shard_files = []
            for i in (1, 2, 3):
                path = str(tree.path(f"s{i}.json"))
                tree.grade(*common, "--shard", f"{i}/3", "--results", path)
                shard_files.append(path)
            status, out = support.run_cli(["merge-results", *shard_files, "--results",
                                           str(tree.path("merged.json"))])
            self.assertEqual(status, 1, out)
            whole = json.loads(tree.path("all.json").read_text())
            merged = json.loads(tree.path("merged.json").read_text())
            self.assertEqual(gradescope.check(merged), [])
            strip = lambda doc: [(t["name"], t["score"], t["status"]) for t in doc["tests"]]
            self.assertEqual(strip(merged), strip(whole))
            self.assertEqual(merged["score"], whole["score"])
            # A missing shard is an error naming it.
            status, out = support.run_cli(["merge-results", *shard_files[:2]])
            self.assertEqual(status, 2)
            self.assertIn("missing shard(s) 3/3", out)
        finally:
            tree.cleanup()


class Strategy(unittest.TestCase):
    def test_the_manifest_strategy_reaches_every_run_and_its_replay(self):
        manifest = support.fake_manifest(["Pass", "PassOnEvenSeed"], strategy="pct")
        manifest["parts"][0]["tests"][1]["strategy"] = "jitter"
        tree = support.FakeTree(manifest)
        try:
            status, out = tree.grade("--seed", "1", "--runs", "1", "-j", "2")
            self.assertEqual(status, 1, out)
            self.assertIn('./lab test fake "PassOnEvenSeed" --seed 1 --strategy jitter', out)
            (log,) = tree.path("logs").glob("*PassOnEvenSeed*.log")
            self.assertIn("--seed 1 --strategy jitter", log.read_text().splitlines()[0])
        finally:
            tree.cleanup()


class Interrupt(unittest.TestCase):
    def test_ctrl_c_prints_the_partial_table(self):
        tree = support.FakeTree(support.fake_manifest(["Pass", "Hang"], run_seconds=60))
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "grader", "grade", "--manifest",
                 str(tree.manifest_path), "--no-build", "--build-dir", str(tree.dir),
                 "--logs", str(tree.path("logs")), "-j", "2"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                env=support.subprocess_env())
            header = proc.stdout.readline()      # printed once the session starts
            self.assertIn("run(s) of 2 test(s)", header)
            time.sleep(1.5)
            proc.send_signal(signal.SIGINT)
            out, _ = proc.communicate(timeout=20)
            self.assertEqual(proc.returncode, 130, out)
            self.assertIn("interrupted with Ctrl-C", out)
            self.assertRegex(out, r"Pass\s+1/1")
            self.assertIn("not run: interrupted", out)
        finally:
            tree.cleanup()


class HiddenBinary(unittest.TestCase):
    """Hidden tests run from bin/<suite>_hidden_tests, after every public run has ended, and
    nothing their runs print or choose reaches results.json."""

    @classmethod
    def setUpClass(cls):
        tests = ["Pass", "Slow", ("SecretPass", 1, True), ("SecretFail", 1, True)]
        cls.tree = support.FakeTree(support.fake_manifest(tests), hidden=True)
        trace = cls.tree.path("trace")
        with mock.patch.dict("os.environ", FAKE_TRACE=str(trace)):
            cls.status, cls.out = cls.tree.grade("--seed", "3", "--runs", "2", "-j", "4",
                                                 "--results", str(cls.tree.path("r.json")))
        cls.doc = json.loads(cls.tree.path("r.json").read_text())
        cls.by_name = {t["name"]: t for t in cls.doc["tests"]}
        cls.trace = [line.split() for line in trace.read_text().splitlines()]

    @classmethod
    def tearDownClass(cls):
        cls.tree.cleanup()

    def test_hidden_tests_run_from_their_own_binary(self):
        self.assertEqual(self.by_name["SecretPass"]["score"], 1)
        self.assertEqual(self.by_name["SecretFail"]["score"], 0)
        self.assertEqual(self.doc["score"], 3)

    def test_hidden_runs_start_after_every_public_run_ended(self):
        public_end = max(float(t) for name, event, t in self.trace
                         if event == "end" and not name.startswith("Secret"))
        hidden_start = min(float(t) for name, event, t in self.trace
                           if event == "start" and name.startswith("Secret"))
        self.assertLess(public_end, hidden_start)

    def test_a_hidden_failure_shows_its_kind_only(self):
        self.assertEqual(self.by_name["SecretFail"]["output"],
                         "passed 0 of 2 run(s)\nrun 1 (seed 3): failed")
        text = json.dumps(self.doc) + self.out
        self.assertNotIn("SECRET-", text)
        self.assertNotIn("status 3", text)
        runs = [r for r in self.doc["extra_data"]["grader"]["results"]
                if r["test"].startswith("Secret")]
        self.assertTrue(all(r["seconds"] == 0 and r["log_tail"] == "" for r in runs))

    def test_the_staff_keep_the_full_log(self):
        run = next(r for r in self.doc["extra_data"]["grader"]["results"]
                   if r["test"] == "SecretFail")
        log = Path(run["log"]).read_text()
        self.assertIn("SECRET-MESSAGE", log)
        self.assertIn('./lab test fake_hidden "SecretFail" --seed 3', log)


@unittest.skipUnless(os.geteuid() == 0 and Path("/usr/bin/python3").exists(),
                     "needs root (it creates the grading users) and /usr/bin/python3")
class Isolated(unittest.TestCase):
    """--isolate: each run as a grading user, fenced in; nothing it leaves survives."""

    def test_runs_are_fenced_in_and_leave_nothing_behind(self):
        isolation.create_users()
        users = isolation.Users()
        tests = ["Isolated", "LeaveDaemon", "NoNetwork", "Fail", ("SecretPass", 1, True)]
        tree = support.FakeTree(support.fake_manifest(tests), hidden=True,
                                python="/usr/bin/python3")
        try:
            tree.dir.chmod(0o755)    # the grading users run the binaries in there
            status, out = tree.grade("--isolate", "-j", "3", "--results",
                                     str(tree.path("r.json")))
            doc = json.loads(tree.path("r.json").read_text())
            scores = {t["name"]: t["score"] for t in doc["tests"]}
            network = 1 if isolation.network_isolated() else 0
            self.assertEqual(scores, {"Isolated": 1, "LeaveDaemon": 1, "NoNetwork": network,
                                      "Fail": 0, "SecretPass": 1}, out)
            self.assertEqual({u.name: isolation.processes_of(u.uid) for u in users.all()
                              if isolation.processes_of(u.uid)}, {})
        finally:
            tree.cleanup()

    def test_isolate_without_the_users_or_root_is_a_usage_error(self):
        tree = support.FakeTree(support.fake_manifest(["Pass"]))
        try:
            with mock.patch("os.geteuid", return_value=1000):
                status, out = tree.grade("--isolate")
            self.assertEqual(status, 2)
            self.assertIn("isolation needs root", out)
        finally:
            tree.cleanup()


class SolutionFolders(unittest.TestCase):
    def test_every_lab_of_this_tree_finds_its_reference(self):
        # A lab's reference sits beside its student files (shardkv/shardctrler/solution/),
        # not always at the top-level folder; `grade --solution` must find all of them.
        from grader import grade
        from grader.manifest import load_all
        labs = load_all(support.REPO / "labs")
        self.assertEqual(grade._missing_solutions(support.REPO, labs), [])


if __name__ == "__main__":
    unittest.main()


class KeepTimeline(unittest.TestCase):
    """A failing visible run's timeline page moves from its working directory to its log."""

    def setUp(self):
        import tempfile
        self.dir = Path(tempfile.mkdtemp())
        self.work = self.dir / "run-x"
        self.work.mkdir()
        self.log = self.dir / "raft-TestX-run1-seed4.log"

    def tearDown(self):
        import shutil
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_the_page_lands_next_to_the_log(self):
        from grader.scheduler import _keep_timeline
        (self.work / "raft-TestX-seed4-timeline.html").write_text("<!DOCTYPE html>")
        kept = _keep_timeline(str(self.work), self.log)
        self.assertEqual(kept, self.dir / "raft-TestX-run1-seed4.timeline.html")
        self.assertEqual(kept.read_text(), "<!DOCTYPE html>")

    def test_no_page_no_timeline(self):
        from grader.scheduler import _keep_timeline
        self.assertIsNone(_keep_timeline(str(self.work), self.log))

    def test_a_symbolic_link_is_not_followed(self):
        from grader.scheduler import _keep_timeline
        secret = self.dir / "secret.txt"
        secret.write_text("hidden")
        (self.work / "raft-TestX-seed4-timeline.html").symlink_to(secret)
        self.assertIsNone(_keep_timeline(str(self.work), self.log))
        self.assertFalse((self.dir / "raft-TestX-run1-seed4.timeline.html").exists())
