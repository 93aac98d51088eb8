"""The handout and its leak check, on a small fake course repository (no build).

Each test plants one kind of leak and checks that the leak check names it; the clean handout
must pass. The real repository's handout (with its build) is checked by
tools/selftest.d/70-grader.sh.
"""

import contextlib
import io
import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import support  # noqa: F401
from grader import handout

STUB = """// The student's file.
#include "demo/student.h"

int Leader(const State& s) {
  // TODO(student): find the leader.
  LAB_UNIMPLEMENTED("A");
}
"""

SOLUTION = """// The reference.
#include "demo/student.h"

int Leader(const State& s) {
  // A server leads when a majority voted for it; the newest term wins ties.
  int best = -1;
  for (int i = 0; i < s.n; ++i) {
    if (s.votes[i] <= s.n / 2) continue;
    if (best < 0 || s.term[i] > s.term[best]) best = i;
  }
  return best;
}
"""

HIDDEN = """#include "labrpc/testing/test.h"
LAB_TEST("TestSecretQuorum", "[demo][hidden]") {
  State s = MakeState(5);
  s.votes[3] = 3;
  REQUIRE(Leader(s) == 3);
}
"""

MANIFEST = {
    "lab": "demo", "title": "Demo", "suite": "demo", "build_target": "demo_tests",
    "student_files": ["demo/student.cpp"], "runs": 1,
    "limits": {"run_seconds": 10, "total_seconds": 60},
    "parts": [{"name": "A", "points": 3, "tests": [
        {"name": "TestLeader", "points": 1},
        {"name": "TestSecretQuorum", "points": 2, "hidden": True}]}],
}

FILES = {
    "labs/demo.json": json.dumps(MANIFEST, indent=2),
    "demo/student.cpp": STUB,
    "demo/solution/student.cpp": SOLUTION,
    "demo/tests/leader_test.cpp": 'LAB_TEST("TestLeader", "[demo]") { REQUIRE(true); }\n',
    "demo/mutants/vote_twice.patch": "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n",
    "grading/hidden/demo/secret_test.cpp": HIDDEN,
    "grading/hidden/README.md": "How to add hidden tests.\n",
    "docs/en/instructors.md": "For instructors.\n",
    "docs/en/handout-README.md": "The student README.\n",
    "docs/en/guide.md": ("Run the tests.\n<!-- handout: omit -->\nRun ./lab selftest.\n"
                         "<!-- handout: end -->\nGood luck.\n"),
    "README.md": "<!-- handout: omit -->\nThe course repository.\n<!-- handout: end -->\n",
}


def quiet(function, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return function(*args, **kwargs)


class Handout(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="handout-test-"))
        self.root = self.tmp / "repo"
        for rel, text in FILES.items():
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_text(text)
        self.dest = self.tmp / "out"
        quiet(handout.make_handout, self.root, self.dest, check_build=False)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def leaks(self):
        found, _ = handout.leak_check(self.root, self.dest)
        return "\n".join(str(leak) for leak in found)

    def test_secret_and_instructor_files_stay_behind(self):
        written = sorted(str(p.relative_to(self.dest)) for p in self.dest.rglob("*")
                         if p.is_file())
        self.assertEqual(written, ["README.md", "demo/student.cpp",
                                   "demo/tests/leader_test.cpp", "docs/en/guide.md",
                                   "labs/demo.json"])

    def test_student_readme_and_course_only_parts(self):
        self.assertEqual((self.dest / "README.md").read_text(), "The student README.\n")
        self.assertEqual((self.dest / "docs/en/guide.md").read_text(),
                         "Run the tests.\nGood luck.\n")

    def test_git_repository_with_one_commit(self):
        dest = self.tmp / "git-handout"
        quiet(handout.make_handout, self.root, dest, check_build=False, git=True)
        log = subprocess.run(["git", "-C", str(dest), "log", "--format=%s"], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual(log, "The lab handout\n")
        status = subprocess.run(["git", "-C", str(dest), "status", "--porcelain"], check=True,
                                capture_output=True, text=True).stdout
        self.assertEqual(status, "")
        tracked = subprocess.run(["git", "-C", str(dest), "ls-files"], check=True,
                                 capture_output=True, text=True).stdout.split()
        self.assertIn("demo/student.cpp", tracked)
        self.assertEqual(self.leaks_of(dest), "")

    def leaks_of(self, dest):
        found, _ = handout.leak_check(self.root, dest)
        return "\n".join(str(leak) for leak in found)

    def test_manifest_loses_its_hidden_tests(self):
        doc = json.loads((self.dest / "labs/demo.json").read_text())
        self.assertEqual([t["name"] for t in doc["parts"][0]["tests"]], ["TestLeader"])
        self.assertEqual(doc["parts"][0]["points"], 1)

    def test_clean_handout_has_no_leaks(self):
        self.assertEqual(self.leaks(), "")

    def test_solution_copied_over_the_stub(self):
        shutil.copy(self.root / "demo/solution/student.cpp", self.dest / "demo/student.cpp")
        report = self.leaks()
        self.assertIn("demo/student.cpp: identical to the secret file demo/solution/student.cpp",
                      report)

    def test_a_pasted_function(self):
        body = "\n".join(SOLUTION.splitlines()[4:11])    # the function's body
        with open(self.dest / "demo/tests/leader_test.cpp", "a") as f:
            f.write("\n// helper\n" + body + "\n")
        self.assertIn("demo/tests/leader_test.cpp:", self.leaks())
        self.assertIn("from demo/solution/student.cpp:", self.leaks())

    def test_a_hidden_test_name(self):
        (self.dest / "NOTES.txt").write_text("remember TestSecretQuorum\n")
        self.assertIn("NOTES.txt:1: names the hidden test 'TestSecretQuorum'", self.leaks())

    def test_a_secret_path(self):
        (self.dest / "demo/solution").mkdir()
        (self.dest / "demo/solution/notes.txt").write_text("x\n")
        self.assertIn("demo/solution/notes.txt: a secret path", self.leaks())

    def test_stub_overwritten_in_the_repository_is_caught(self):
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run([*git, "init", "-q"], cwd=self.root, check=True)
        subprocess.run([*git, "add", "."], cwd=self.root, check=True)
        subprocess.run([*git, "commit", "-qm", "stubs"], cwd=self.root, check=True)
        shutil.copy(self.root / "demo/solution/student.cpp", self.root / "demo/student.cpp")
        with self.assertRaisesRegex(handout.HandoutError, "leak check FAILED"):
            quiet(handout.make_handout, self.root, self.tmp / "out2", check_build=False)

    def test_refuses_a_non_empty_destination(self):
        with self.assertRaisesRegex(handout.HandoutError, "not an empty folder"):
            quiet(handout.make_handout, self.root, self.dest, check_build=False)


if __name__ == "__main__":
    unittest.main()
