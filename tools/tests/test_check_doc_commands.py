#!/usr/bin/env python3
"""Tests of tools/check_doc_commands.py on a small fake repository.

Run: python3 -m unittest discover -s tools/tests -p 'test_check_doc_commands.py'
(tools/selftest.d/80-doc-commands.sh does this). Standard library only.
"""

import contextlib
import io
import os
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import check_doc_commands as cdc  # noqa: E402


def write(root: Path, rel: str, text: str, executable: bool = False) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    if executable:
        path.chmod(0o755)
    return path


class FakeRepo(unittest.TestCase):
    """A repository with a raft suite (two folders of sources), a labrpc suite, a custom
    mapreduce driver, one extra subcommand and a build directory that must be ignored."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        write(self.root, "CMakePresets.json",
              '{"version": 6, "configurePresets": [{"name": "base", "hidden": true},'
              ' {"name": "debug"}, {"name": "asan"}]}')
        write(self.root, "raft/tests/CMakeLists.txt", """
            # lab_add_test(commented_out SOURCES x.cpp)
            lab_add_test(raft
              SOURCES test_2a.cpp ../extra/test_2b.cpp
              LIBS raft_lib)
            """)
        write(self.root, "raft/tests/test_2a.cpp", """
            LAB_TEST("TestInitialElection2A", "[raft][2A]") {}
            LAB_TEST("TestReElection2A", "[raft][2A]") {}
            """)
        write(self.root, "raft/extra/test_2b.cpp", """
            LAB_TEST("TestBasicAgree2B", "[raft][2B]") {}
            TEST_CASE("TestFigure8Unreliable2C", "[raft][2C][slow]") {}
            Row rows[] = {{"not a test", TestX}};  // a table row, but not in a custom driver
            """)
        write(self.root, "labrpc/tests/CMakeLists.txt", "lab_add_test(labrpc SOURCES t.cpp)\n")
        write(self.root, "labrpc/tests/t.cpp", 'LAB_TEST("TestBasic", "[labrpc]") {}\n')
        write(self.root, "mapreduce/CMakeLists.txt", "add_executable(mapreduce_tests d.cpp)\n")
        write(self.root, "mapreduce/d.cpp", """
            TEST_CASE("wc", "[mr]") {}
            const std::vector<TestCase> kTests = {
                {"job count", TestJobCount},
                {"crash", &TestCrash},
            };
            """)
        write(self.root, "build/debug/CMakeLists.txt", "lab_add_test(ghost SOURCES g.cpp)\n")
        write(self.root, "tools/commands/logs", "#!/bin/sh\n# summary: render logs\n",
              executable=True)
        write(self.root, "tools/commands/notexec", "#!/bin/sh\n")
        write(self.root, "tools/commands/Upper", "#!/bin/sh\n", executable=True)
        write(self.root, "lab", """\
            #!/usr/bin/env bash
            usage_test() {
              cat <<EOF
            usage: ./lab test <suite> [filter] [--seed N]
            Options:
              --seed N              the seed
              --runs N              run N times with seeds S, S+1, ...
                                    --not-an-option because it does not start a line
              --check-determinism   twice
              --preset P            preset
              --solution            same as --preset solution
              --label TEXT          a made-up option with a free value
              -- ARGS...            to the binary
            Examples:
              ./lab test labrpc --runs 20
            EOF
            }
            """, executable=True)
        self.repo = cdc.Repo.load(self.root)

    def tearDown(self):
        self.tmp.cleanup()

    def check_doc(self, text: str, name: str = "docs/en/doc.md") -> cdc.Report:
        path = write(self.root, name, text)
        return cdc.check_files([path], self.repo)

    def assert_ok(self, command: str):
        report = self.check_doc(f"Run `{command}` now.\n")
        self.assertEqual(report.checked, 1, command)
        self.assertEqual(report.errors, [], command)
        self.assertEqual(report.pending, {}, command)

    def assert_error(self, command: str, fragment: str):
        report = self.check_doc(f"Run `{command}` now.\n")
        self.assertEqual(report.checked, 1, command)
        self.assertEqual(len(report.errors), 1, (command, report.errors))
        self.assertIn(fragment, report.errors[0])
        self.assertTrue(report.errors[0].startswith("docs/en/doc.md:1: error:"), report.errors)


class RepositoryModelTest(FakeRepo):
    def test_suites_tests_and_tags(self):
        self.assertEqual(sorted(self.repo.suites), ["labrpc", "mapreduce", "raft"])
        raft = self.repo.suites["raft"]
        self.assertEqual(sorted(raft.tests), ["TestBasicAgree2B", "TestFigure8Unreliable2C",
                                              "TestInitialElection2A", "TestReElection2A"])
        self.assertEqual(raft.tests["TestFigure8Unreliable2C"], {"raft", "2c", "slow"})
        self.assertEqual(sorted(self.repo.suites["mapreduce"].tests), ["crash", "job count", "wc"])

    def test_subcommands_and_presets(self):
        self.assertIn("logs", self.repo.subcommands)
        self.assertNotIn("notexec", self.repo.subcommands)
        self.assertNotIn("Upper", self.repo.subcommands)
        self.assertEqual(self.repo.presets, {"debug", "asan"})

    def test_test_options_come_from_the_lab_script(self):
        self.assertEqual(self.repo.test_options, {
            "--help": None, "-h": None, "--seed": "int", "--runs": "int",
            "--check-determinism": None, "--preset": "preset", "--solution": None,
            "--label": "any"})

    def test_test_options_fallback_without_lab_script(self):
        (self.root / "lab").unlink()
        options = cdc.Repo.load(self.root).test_options
        self.assertIn("--real", options)
        self.assertEqual(options["--seed"], "int")


class GoodCommandsTest(FakeRepo):
    def test_accepted(self):
        for command in [
            "./lab",
            "./lab --help",
            "./lab build",
            "./lab selftest",
            "./lab bench",
            "./lab logs --help",
            "./lab test --help",
            "./lab test raft",
            "./lab test raft '[2A]'",
            "./lab test raft [2c]",
            "./lab test raft TestFigure8Unreliable2C",
            "./lab test raft TestFigure8Unreliable2C --seed 42",
            "./lab test raft TestInitialElection2A --seed=7 --check-determinism",
            "./lab test raft '[2B]' --runs 20 --preset asan --solution",
            "./lab test raft '[2B]' --label 'any text'",
            "./lab test raft '[2B]' -- --durations yes --whatever",
            "./lab test raft '[2A],[2B]'",
            "./lab test raft '[raft]~[slow]'",
            "./lab test raft 'TestRe*'",
            "./lab test labrpc TestBasic",
            "./lab test mapreduce wc",
            "./lab test mapreduce 'job count'",
            "./lab test mapreduce crash --runs 5",
            "LAB_DEBUG=vote,append ./lab test raft TestReElection2A --seed 3",
            "./lab test raft TestReElection2A 2>&1 | tee log.txt",
            "cd .. && ./lab test raft TestReElection2A",
            "./lab test raft TestReElection2A < /dev/null > out.txt",
            "./lab test <suite> [filter] [--seed N]",
        ]:
            with self.subTest(command=command):
                self.assert_ok(command)


class BadCommandsTest(FakeRepo):
    def test_bad_suite(self):
        self.assert_error("./lab test raf 2A", "unknown suite 'raf'")
        self.assert_error("./lab test raf 2A", "did you mean raft")

    def test_build_dirs_are_ignored(self):
        self.assert_error("./lab test ghost", "unknown suite 'ghost'")

    def test_bad_test_name(self):
        self.assert_error("./lab test raft TestFigure8Unreliable", "no test named")
        self.assert_error("./lab test raft TestFigure8Unreliable",
                          "did you mean TestFigure8Unreliable2C")

    def test_bare_tag_is_a_name_for_catch(self):
        # Only when ./lab passes filters to Catch2 unchanged (it expands parts today).
        original = cdc.BARE_PART_IS_TAG
        cdc.BARE_PART_IS_TAG = False
        try:
            self.assert_error("./lab test raft 2A", "'2A' is a tag of suite 'raft', not a test name")
            self.assert_error("./lab test raft 2A", "write '[2A]'")
        finally:
            cdc.BARE_PART_IS_TAG = original

    def test_bare_part_accepted_when_lab_expands_parts(self):
        original = cdc.BARE_PART_IS_TAG
        cdc.BARE_PART_IS_TAG = True
        try:
            self.assert_ok("./lab test raft 2A")
            self.assert_error("./lab test raft 2D", "no test named '2D'")
        finally:
            cdc.BARE_PART_IS_TAG = original

    def test_bad_part(self):
        self.assert_error("./lab test raft '[2D]'", "'[2D]' selects no test")
        self.assert_error("./lab test raft 2D", "no test named '2D'")

    def test_bad_tag_expression(self):
        self.assert_error("./lab test raft '[2A],[2E]'", "'[2E]' selects no test")
        self.assert_error("./lab test raft '[2A'", "unclosed")

    def test_table_rows_count_only_in_custom_drivers(self):
        self.assert_error("./lab test raft 'not a test'", "no test named 'not a test'")
        self.assert_error("./lab test mapreduce job", "no test named 'job'")

    def test_test_of_another_suite(self):
        self.assert_error("./lab test labrpc TestInitialElection2A", "no test named")

    def test_bad_option(self):
        self.assert_error("./lab test raft [2A] --sed 4", "unknown option '--sed'")
        self.assert_error("./lab test raft [2A] --real", "unknown option '--real'")
        self.assert_error("./lab test raft [2A] --seed", "--seed needs")
        self.assert_error("./lab test raft [2A] --seed N", "--seed needs")
        self.assert_error("./lab test raft [2A] --runs -3", "--runs needs")
        self.assert_error("./lab test raft [2A] --preset fast", "--preset 'fast'")
        self.assert_error("./lab test raft [2A] --solution=1", "takes no value")
        self.assert_error("./lab test raft [2A] --label", "--label needs a value")

    def test_bad_subcommand(self):
        self.assert_error("./lab tset raft [2A]", "unknown subcommand 'tset'")
        self.assert_error("./lab notexec", "unknown subcommand 'notexec'")

    def test_missing_suite_and_extra_words(self):
        self.assert_error("./lab test --seed 3", "needs a suite")
        self.assert_error("./lab test raft Test Basic", "too many arguments")


class ExtractionTest(FakeRepo):
    def test_fenced_blocks_comments_and_line_numbers(self):
        report = self.check_doc("""\
            # Title

            ```bash
            $ ./lab test raft '[2A]'    # fine
            ./lab test raft \\
                TestBogus --seed 1
            echo done && ./lab tset
            ```

            <!-- ./lab test nothere -->
            Text with `./lab test raft [2Z]` inline and `not lab`.
            ~~~
            ./lab test raft "[2B]"
            ~~~
            """)
        self.assertEqual(report.checked, 5)
        self.assertEqual(len(report.errors), 3, report.errors)
        self.assertTrue(report.errors[0].startswith("docs/en/doc.md:5: error:"))
        self.assertIn("TestBogus", report.errors[0])
        self.assertTrue(report.errors[1].startswith("docs/en/doc.md:7: error:"))
        self.assertTrue(report.errors[2].startswith("docs/en/doc.md:11: error:"))

    def test_lines_that_only_mention_lab_are_not_commands(self):
        report = self.check_doc("```\nreplay: ./lab test raft Nope --seed 1\n```\n")
        self.assertEqual(report.checked, 0)


class PendingTest(FakeRepo):
    DOC = """\
        <!-- lab-pending: kvraft shardkv -->
        Try `./lab test kvraft TestBasic3A` and `./lab test shardkv [4B] --seed 2`.
        A typo stays an error: `./lab test kvraf [3A]`.
        Options are still checked: `./lab test kvraft [3A] --sed 1`.
        """

    def test_pending_is_a_warning(self):
        report = self.check_doc(self.DOC)
        self.assertEqual(report.checked, 4)
        self.assertEqual(report.pending, {"kvraft": 1, "shardkv": 1})
        self.assertEqual(len(report.errors), 2, report.errors)
        self.assertIn("unknown suite 'kvraf'", report.errors[0])
        self.assertIn("unknown option '--sed'", report.errors[1])
        self.assertEqual(len(report.pending_lines), 2)
        self.assertTrue(all("is pending" in w for w in report.pending_lines))
        self.assertEqual(report.warnings, [
            "docs/en/doc.md:1: warning: 2 commands of pending suites (kvraft, shardkv) "
            "not checked in full"])

    def test_marker_is_per_file(self):
        report = self.check_doc("Try `./lab test kvraft TestBasic3A`.\n", "docs/zh/other.md")
        self.assertEqual(len(report.errors), 1)
        self.assertIn("unknown suite 'kvraft'", report.errors[0])

    def test_existing_suite_is_checked_and_marker_is_stale(self):
        report = self.check_doc("<!-- lab-pending: raft -->\n`./lab test raft [2Q]`\n")
        self.assertEqual(report.pending, {})
        self.assertEqual(len(report.errors), 1)
        self.assertIn("'[2Q]' selects no test", report.errors[0])
        self.assertTrue(any("exists now" in w for w in report.warnings), report.warnings)


class CrossCheckTest(FakeRepo):
    """--build-dir: the tests found in the sources against what fake binaries list."""

    def fake_binary(self, suite: str, names: list[str], option: str, status: int = 0):
        """A script that lists names when called with option; otherwise it kills itself."""
        body = "\\n".join(names)
        write(self.root, f"build/debug/bin/{suite}_tests",
              f'#!/bin/sh\n[ "$1" = "{option}" ] || kill -KILL $$\n'
              f'printf "{body}\\n"\nexit {status}\n', executable=True)

    def test_agreeing_binaries(self):
        # Like the lab's Catch2 main: a seed line first, exit status = number of tests.
        self.fake_binary("raft", ["seed: 42"] + sorted(self.repo.suites["raft"].tests),
                         "--list-test-names-only", status=4)
        self.fake_binary("mapreduce", ["wc", "job count", "crash"], "--list")
        errors, warnings = cdc.cross_check(self.repo, self.root / "build" / "debug")
        self.assertEqual((errors, warnings), ([], []))

    def test_disagreeing_binaries(self):
        listed = sorted(set(self.repo.suites["raft"].tests) - {"TestReElection2A"}) + ["TestExtra"]
        self.fake_binary("raft", listed, "--list-test-names-only")
        self.fake_binary("labrpc", [], "--wrong-option")  # killed by a signal: cannot list
        self.fake_binary("mapreduce", ["wc"], "--list", status=2)  # a driver's failure status
        errors, warnings = cdc.cross_check(self.repo, self.root / "build" / "debug")
        self.assertEqual(len(errors), 1, errors)
        self.assertIn("'TestReElection2A' of suite 'raft' is in the sources but not in", errors[0])
        self.assertEqual(len(warnings), 3, warnings)
        self.assertTrue(any("cannot list" in w and "labrpc_tests" in w for w in warnings))
        self.assertTrue(any("cannot list" in w and "mapreduce_tests" in w for w in warnings))
        self.assertTrue(any("'TestExtra'" in w for w in warnings))


class MainTest(FakeRepo):
    def run_main(self, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = cdc.main(["--root", str(self.root), *args])
        return rc, out.getvalue()

    def test_exit_status_and_summary(self):
        write(self.root, "README.md", "Run `./lab test raft [2A]`.\n")
        write(self.root, "docs/en/notes/a.md", "`./lab test raft '[2B]'`\n")
        rc, out = self.run_main()
        self.assertEqual(rc, 0, out)
        self.assertIn("2 ./lab commands in 2 files: 0 failed", out)
        write(self.root, "docs/zh/notes/a.md", "`./lab test raft TestNope`\n")
        rc, out = self.run_main()
        self.assertEqual(rc, 1, out)
        self.assertIn(os.path.join("docs", "zh", "notes", "a.md") + ":1: error:", out)
        self.assertIn("1 failed", out)

    def test_build_dir_errors_fail_the_run(self):
        write(self.root, "build/debug/bin/labrpc_tests", "#!/bin/sh\necho TestOther\n",
              executable=True)
        rc, out = self.run_main("--build-dir", str(self.root / "build" / "debug"))
        self.assertEqual(rc, 1, out)
        self.assertIn("'TestBasic' of suite 'labrpc' is in the sources but not in", out)


if __name__ == "__main__":
    unittest.main()
