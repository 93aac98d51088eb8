"""The parts of the Gradescope autograder (grading/gradescope/autograder.py) that need no
build: reading the submission without following links, and turning the grader child's end
into results. The whole autograder runs in test_gradescope.py."""

import importlib.util
import json
import os
import shutil
import tempfile
import unittest
from pathlib import Path

import support
from grader import gradescope
from grader.manifest import parse_manifest


def load_autograder(root):
    """autograder.py as a module, with AUTOGRADER_ROOT=root."""
    os.environ["AUTOGRADER_ROOT"] = str(root)
    try:
        spec = importlib.util.spec_from_file_location(
            "autograder_under_test", support.REPO / "grading/gradescope/autograder.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        del os.environ["AUTOGRADER_ROOT"]


MANIFEST = parse_manifest(support.fake_manifest(["Pass", ("Secret", 1, True)]))


class Submission(unittest.TestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="autograder-unit-"))
        self.autograder = load_autograder(self.root)
        (self.root / "submission").mkdir()

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def test_a_symbolic_link_is_not_followed(self):
        secret = self.root / "secret.cpp"
        secret.write_text("int secret;\n")
        os.symlink(secret, self.root / "submission" / "student.cpp")
        files, problems = self.autograder.find_student_files(MANIFEST)
        self.assertEqual(files, {})
        self.assertEqual(problems, ["missing fake/student.cpp (upload it, or the tarball of "
                                    "./lab submit)"])

    def test_a_linked_folder_is_not_walked(self):
        elsewhere = self.root / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "student.cpp").write_text("int x;\n")
        os.symlink(elsewhere, self.root / "submission" / "work")
        files, _ = self.autograder.find_student_files(MANIFEST)
        self.assertEqual(files, {})

    def test_a_huge_file_is_refused(self):
        big = self.root / "submission" / "student.cpp"
        big.write_bytes(b"x" * (self.autograder._MAX_STUDENT_FILE_BYTES + 1))
        files, problems = self.autograder.find_student_files(MANIFEST)
        self.assertEqual(files, {})
        self.assertIn("larger than", problems[0])


class GraderEnd(unittest.TestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="autograder-unit-"))
        self.autograder = load_autograder(self.root)
        self.report = self.root / "report.json"

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def zero_reason(self, wait_status):
        doc = self.autograder._report(MANIFEST, self.report, wait_status)
        self.assertEqual(doc["score"], 0)
        self.assertEqual(gradescope.check(doc), [])
        return doc["output"]

    def test_a_killed_grader_gives_zero_with_the_signal(self):
        self.assertIn("it was killed by signal 9", self.zero_reason(9))

    def test_a_grader_that_failed_gives_zero_with_its_status(self):
        self.assertIn("it exited with status 4", self.zero_reason(4 << 8))

    def test_no_report_or_a_broken_one_gives_zero(self):
        self.assertIn("it wrote no report", self.zero_reason(0))
        self.report.write_text("{not json")
        self.assertIn("it wrote no report", self.zero_reason(1 << 8))
        self.report.write_text(json.dumps({"score": "all of them"}))
        self.assertIn("not valid", self.zero_reason(0))

    def test_a_report_keeps_only_the_public_runs(self):
        runs = [{"test": "Pass", "status": "passed"}, {"test": "Secret", "status": "failed"}]
        self.report.write_text(json.dumps({
            "score": 1, "output": "ok", "tests": [],
            "extra_data": {"grader": {"base_seed": 7, "results": runs, "plan": [["fake",
                                      "Secret", 0]], "manifests": {"fake": {}}}}}))
        doc = self.autograder._report(MANIFEST, self.report, 0)
        self.assertEqual(doc["score"], 1)
        self.assertEqual(doc["extra_data"], {"grader": {"base_seed": 7, "results": runs[:1]}})


if __name__ == "__main__":
    unittest.main()
