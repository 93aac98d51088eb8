"""The Gradescope autograder, run locally in a faked /autograder layout (slow: it builds).

Makes the autograder zip of the fake lab (grader_fake.json), unpacks it into
<tmp>/source, runs setup.sh (which builds bin/grader_fake_tests there), then runs
run_autograder with AUTOGRADER_ROOT=<tmp> on several submissions and checks results.json.
Skipped unless GRADER_SLOW_TESTS=1 (tools/selftest.d/70-grader.sh sets it).
"""

import contextlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path

import support
from grader import gradescope, submit
from grader.gradescope_zip import make_zip
from grader.manifest import load_manifest

STUDENT_FILE = "grading/tests/fake_student/answer.cpp"
FIXED = ('#include "grading/tests/fake_student/answer.h"\n'
         "namespace fake_student { int Answer() { return 42; } }\n")
SELECT = ["TestHonestPass", "TestAnswer", "TestHiddenSample", "TestAbort"]


@unittest.skipUnless(os.environ.get("GRADER_SLOW_TESTS") == "1", "slow: set GRADER_SLOW_TESTS=1")
class Autograder(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="autograder-test-"))
        cls.zip = cls.tmp / "autograder.zip"
        with contextlib.redirect_stdout(io.StringIO()):
            make_zip(support.REPO, "grader_fake", cls.zip,
                     manifest="grading/tests/grader_fake.json", extra=["grading/tests"],
                     select=SELECT)
        cls.source = cls.tmp / "source"
        _unzip(cls.zip, cls.source)
        env = dict(os.environ, LAB_JOBS=os.environ.get("LAB_JOBS", "2"))
        setup = subprocess.run(["bash", str(cls.source / "setup.sh")], env=env,
                               capture_output=True, text=True)
        if setup.returncode != 0:
            raise AssertionError("setup.sh failed:\n" + setup.stdout[-3000:]
                                 + setup.stderr[-3000:])
        shutil.copy2(cls.source / "run_autograder", cls.tmp / "run_autograder")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def autograde(self, files):
        """Runs run_autograder on a submission {path in submission: bytes or str}."""
        submission = self.tmp / "submission"
        results = self.tmp / "results"
        for folder in (submission, results):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        for rel, data in files.items():
            (submission / rel).parent.mkdir(parents=True, exist_ok=True)
            (submission / rel).write_bytes(data if isinstance(data, bytes) else data.encode())
        # Each Gradescope run starts from a fresh image: put back what the last run deleted.
        _unzip(self.zip, self.source, only="grading/hidden/")
        _unzip(self.zip, self.source, only=STUDENT_FILE)
        out = subprocess.run([str(self.tmp / "run_autograder")], capture_output=True,
                             text=True, env=dict(os.environ, AUTOGRADER_ROOT=str(self.tmp)))
        self.assertEqual(out.returncode, 0, out.stdout[-2000:] + out.stderr[-2000:])
        doc = json.loads((results / "results.json").read_text())
        self.assertEqual(gradescope.check(doc), [])
        return doc, {t["name"]: t for t in doc["tests"]}

    def test_loose_files_anywhere_in_the_submission(self):
        doc, tests = self.autograde({"my work/answer.cpp": FIXED})
        self.assertEqual({n: t["score"] for n, t in tests.items()},
                         {"TestHonestPass": 1, "TestAnswer": 1, "TestHiddenSample": 1,
                          "TestAbort": 0})
        self.assertIn("crashed with SIGABRT", tests["TestAbort"]["output"])
        self.assertEqual(tests["TestHiddenSample"]["visibility"], "after_published")
        self.assertNotIn("TestHiddenSample", doc["output"])   # students see this output
        self.assertFalse((self.source / "grading/hidden/grader_fake").exists(),
                         "hidden sources must be gone before student code runs")

    def test_wrong_answer_loses_that_test_only(self):
        stub = (support.REPO / STUDENT_FILE).read_text()
        _, tests = self.autograde({"answer.cpp": stub})
        self.assertEqual(tests["TestAnswer"]["score"], 0)
        self.assertIn("0 == 42", tests["TestAnswer"]["output"])
        self.assertEqual(tests["TestHonestPass"]["score"], 1)

    def test_submit_tarball_is_verified_and_used(self):
        tarball = self._tarball(FIXED)
        _, tests = self.autograde({"submission.tar.gz": tarball.read_bytes()})
        self.assertEqual(tests["TestAnswer"]["score"], 1)

    def test_tampered_tarball_scores_zero(self):
        tarball = self._tarball(FIXED, tamper=True)
        doc, _ = self.autograde({"submission.tar.gz": tarball.read_bytes()})
        self.assertEqual(doc["score"], 0)
        self.assertIn("checksum does not match", doc["output"])

    def test_missing_file_scores_zero_with_the_reason(self):
        doc, tests = self.autograde({"README.txt": "oops"})
        self.assertEqual(doc["score"], 0)
        self.assertIn(f"missing {STUDENT_FILE}", doc["output"])
        self.assertIn("submission is incomplete", tests["TestAnswer"]["output"])

    def test_build_error_scores_zero_with_the_compiler_output(self):
        doc, _ = self.autograde({"answer.cpp": "int Answer( {\n"})
        self.assertEqual(doc["score"], 0)
        self.assertIn("did not build", doc["output"])
        self.assertIn("error", doc["output"])

    def _tarball(self, text, tamper=False):
        root = self.tmp / "student-repo"
        shutil.rmtree(root, ignore_errors=True)
        (root / STUDENT_FILE).parent.mkdir(parents=True)
        (root / STUDENT_FILE).write_text(text)
        manifest = load_manifest(support.HERE / "grader_fake.json")
        out = self.tmp / "submission.tar.gz"
        submit.pack(root, manifest, out)
        if tamper:   # change the file after the checksums were taken
            (root / STUDENT_FILE).write_text(text.replace("42", "41"))
            with tarfile.open(out) as old:
                members = [(m, old.extractfile(m).read()) for m in old.getmembers()]
            with tarfile.open(out, "w:gz") as new:
                for member, data in members:
                    if member.name == STUDENT_FILE:
                        data = (root / STUDENT_FILE).read_bytes()
                        member.size = len(data)
                    new.addfile(member, io.BytesIO(data))
        return out


def _unzip(zip_path, dest, only=""):
    """Extracts like unzip(1) does: with the files' permission bits."""
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            if not info.filename.startswith(only):
                continue
            target = dest / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode)


if __name__ == "__main__":
    unittest.main()
