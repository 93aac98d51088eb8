"""The completion record and the verdict on one run, without processes."""

import json
import signal
import unittest

import support  # noqa: F401
from grader.channel import ChannelError, parse_record
from grader.verdict import failure_message, failure_parts, judge

NONCE = "n" * 32


def record_bytes(nonce=NONCE, seed=7, tests=(("TestA", True),), failed=0, extra=b""):
    value = {"nonce": nonce, "seed": seed, "failed": failed,
             "tests": [{"name": n, "passed": p, "seconds": 0.5} for n, p in tests]}
    return json.dumps(value).encode() + b"\n" + extra


class Record(unittest.TestCase):
    def test_good_record(self):
        r = parse_record(record_bytes(), NONCE, 7)
        self.assertTrue(r.outcome("TestA").passed)
        self.assertIsNone(r.outcome("TestB"))

    def test_nothing_written(self):
        self.assertIsNone(parse_record(b"", NONCE, 7))

    def test_rejections(self):
        cases = {
            "wrong nonce": (record_bytes(nonce="x" * 32), "wrong nonce"),
            "wrong seed": (record_bytes(seed=8), "seed 8, not 7"),
            "two records": (record_bytes(extra=record_bytes()), "2 completion records"),
            "garbage": (b"{not json\n", "not valid JSON"),
            "not an object": (b"[1,2]\n", "not a JSON object"),
            "bad types": (record_bytes().replace(b'"failed": 0', b'"failed": true'),
                          "'failed'"),
        }
        for label, (data, words) in cases.items():
            with self.subTest(label):
                with self.assertRaisesRegex(ChannelError, words):
                    parse_record(data, NONCE, 7)


def verdict(returncode=0, timed_out=False, data=None, log="", memory_mb=0, test="TestA"):
    data = record_bytes() if data is None else data
    return judge(test, "fake_tests", returncode, timed_out, 120,
                 lambda: parse_record(data, NONCE, 7), log, memory_mb)


class Verdicts(unittest.TestCase):
    def test_pass_needs_record_and_clean_exit(self):
        self.assertTrue(verdict().passed)
        v = verdict(returncode=-signal.SIGSEGV)
        self.assertFalse(v.passed)
        self.assertIn("passed, but then the process crashed with SIGSEGV", v.reason)

    def test_no_record(self):
        self.assertIn("exited with status 0 before the test finished",
                      verdict(data=b"").reason)
        self.assertIn("crashed with SIGABRT", verdict(data=b"", returncode=-6).reason)
        self.assertIn("status 3", verdict(data=b"", returncode=3, log="boom\n").reason)

    def test_timeout_wins(self):
        v = verdict(timed_out=True, returncode=-9)
        self.assertIn("timed out", v.reason)

    def test_failed_test_gives_catch_message(self):
        log = ("x.cpp:12: FAILED:\n  REQUIRE( a == 1 )\nwith expansion:\n  2 == 1\n\n"
               "=====\n")
        v = verdict(data=record_bytes(tests=(("TestA", False),), failed=1), returncode=1,
                    log=log)
        self.assertEqual(v.reason, "failed: REQUIRE( a == 1 ) 2 == 1")

    def test_test_missing_from_binary(self):
        v = verdict(data=record_bytes(tests=()), returncode=2)
        self.assertIn("no test named 'TestA'", v.reason)

    def test_memory_hint(self):
        log = "x.cpp:3: FAILED:\ndue to unexpected exception with message:\n  std::bad_alloc\n"
        v = verdict(data=record_bytes(tests=(("TestA", False),)), log=log, memory_mb=512)
        self.assertIn("memory limit of 512 MiB", v.reason)


class FailureMessage(unittest.TestCase):
    def test_first_block_without_seed_and_replay_lines(self):
        log = ("seed: 5\n---\nt.cpp:9: FAILED:\ndue to unexpected exception with messages:\n"
               "  seed: 5\n  replay with: ./lab test raft \"T\" --seed 5\n"
               "  not implemented: Raft::GetState (2A)\n\nt.cpp:20: FAILED:\n  other\n")
        self.assertEqual(failure_message(log), "not implemented: Raft::GetState (2A)")

    def test_wrapped_replay_line_is_cut_out(self):
        log = ("t.cpp:83: FAILED:\ndue to unexpected exception with messages:\n  seed: 7079\n"
               '  replay with: ./lab test raft "TestSnapshotInstallUnreliable2D" --seed\n'
               "  7079\n  not implemented: Raft::Start (2B)\n\n")
        self.assertEqual(failure_message(log), "not implemented: Raft::Start (2B)")

    def test_none(self):
        self.assertEqual(failure_message("all good\n"), "")

    def test_cause_first_then_the_debug_log_hint(self):
        # The harness's order: the cause, then the seed, the replay command and the debug log
        # (wrapped by Catch2 at 80 columns).
        log = ("t.cpp:40: FAILED:\nexplicitly with message:\n"
               "  not implemented: Raft::GetState (2A); see its TODO(student, 2A)\n"
               "  seed: 12\n  replay with: ./lab test raft \"TestInitialElection2A\" --seed 12\n"
               "  debug log: off; to get one, put LAB_DEBUG=1 (or LAB_DEBUG=topic,topic) in\n"
               "  front of the replay command\n\n")
        self.assertEqual(failure_parts(log), (
            "not implemented: Raft::GetState (2A); see its TODO(student, 2A)",
            "debug log: off; to get one, put LAB_DEBUG=1 (or LAB_DEBUG=topic,topic) in front "
            "of the replay command"))

    def test_verdict_carries_the_hint_and_the_virtual_time(self):
        value = {"nonce": NONCE, "seed": 7, "failed": 1,
                 "tests": [{"name": "TestA", "passed": False, "seconds": 0.01,
                            "virtual_seconds": 4.25}]}
        log = ("t.cpp:9: FAILED:\n  one of the checks failed\n  seed: 7\n"
               "  debug log: in /tmp/x.log (LAB_DEBUG_FILE)\n\n")
        v = verdict(data=json.dumps(value).encode() + b"\n", returncode=1, log=log)
        self.assertEqual(v.reason, "failed: one of the checks failed")
        self.assertEqual(v.hint, "debug log: in /tmp/x.log (LAB_DEBUG_FILE)")
        self.assertEqual(v.virtual_seconds, 4.25)

    def test_virtual_seconds_must_be_a_number(self):
        value = {"nonce": NONCE, "seed": 7, "failed": 0,
                 "tests": [{"name": "TestA", "passed": True, "seconds": 0.01,
                            "virtual_seconds": "soon"}]}
        with self.assertRaises(ChannelError):
            parse_record(json.dumps(value).encode(), NONCE, 7)


if __name__ == "__main__":
    unittest.main()
