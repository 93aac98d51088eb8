"""The Gradescope autograder, run for real in a faked /autograder layout, with honest and
hostile submissions (slow: it builds; root: it creates the grading users and runs as them).

Makes the autograder zip of the fake lab (grader_fake.json), unpacks it into <tmp>/source,
runs setup.sh, then runs run_autograder with AUTOGRADER_ROOT=<tmp> on each submission and
checks results.json: honest submissions (loose files, tarballs, a build error), and the
hostile ones of hostile_submissions/ (README.md there lists them). After every submission no
process of a grading user may be left, and no hidden word (the hidden test's name, its
secret string, a line of its code) may appear in anything the student sees.
Skipped unless GRADER_SLOW_TESTS=1 (tools/selftest.d/70-grader.sh sets it) and root.
"""

import contextlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import tarfile
import tempfile
import threading
import time
import unittest
import zipfile
from pathlib import Path

import support
from grader import gradescope, isolation, submit
from grader.gradescope_zip import make_zip
from grader.manifest import load_manifest

STUDENT_FILE = "grading/tests/fake_student/answer.cpp"
FIXED = ('#include "grading/tests/fake_student/answer.h"\n'
         "namespace fake_student { int Answer() { return 42; } }\n")
SELECT = ["honest", "TestAbort"]   # the honest part (with the hidden example) and a crash
HONEST = {"TestHonestPass": 1, "TestAnswer": 1, "TestHonestFail": 0, "TestAbort": 0}
ATTACKS = support.HERE / "hostile_submissions"
MANIFEST = support.HERE / "grader_fake.json"
HIDDEN_SOURCE = support.REPO / "grading/hidden/grader_fake/hidden_sample_test.cpp"


def hidden_words():
    """What must never reach a student: the hidden tests' names, the hidden example's secret
    string, its tags and a line of its code."""
    names = [t.name for t in load_manifest(MANIFEST).tests() if t.hidden]
    text = HIDDEN_SOURCE.read_text()
    probe = re.search(r'kSecretProbe = "(\w+)"', text).group(1)
    return names + [probe, "[grader_fake][hidden]", "fake_student::Answer() == first"]


HIDDEN_NAMES = [t.name for t in load_manifest(MANIFEST).tests() if t.hidden]


@unittest.skipUnless(os.environ.get("GRADER_SLOW_TESTS") == "1", "slow: set GRADER_SLOW_TESTS=1")
@unittest.skipUnless(os.geteuid() == 0, "needs root: it creates the grading users")
class Autograder(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="autograder-test-"))
        cls.zip = cls.tmp / "autograder.zip"
        with contextlib.redirect_stdout(io.StringIO()):
            make_zip(support.REPO, "grader_fake", cls.zip, manifest=str(MANIFEST.relative_to(
                support.REPO)), extra=["grading/tests"], select=SELECT)
        cls.source = cls.tmp / "source"
        _unzip(cls.zip, cls.source)
        env = dict(os.environ, LAB_JOBS=os.environ.get("LAB_JOBS", "2"),
                   AUTOGRADER_ROOT=str(cls.tmp))
        started = time.monotonic()
        setup = subprocess.run(["bash", str(cls.source / "setup.sh")], env=env,
                               capture_output=True, text=True)
        print(f"\n[setup.sh: {time.monotonic() - started:.0f} s]", flush=True)
        if setup.returncode != 0:
            raise AssertionError("setup.sh failed:\n" + setup.stdout[-3000:]
                                 + setup.stderr[-3000:])
        shutil.copy2(cls.source / "run_autograder", cls.tmp / "run_autograder")
        cls.users = isolation.Users()
        cls.words = hidden_words()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def autograde(self, files, attack=None, links=None):
        """Runs run_autograder on a submission: files {path in submission: bytes or str}, or
        attack, the name of a file in hostile_submissions/ (as answer.cpp), plus symbolic
        links {path in submission: target}. Checks what must hold for every submission;
        returns (results.json, {name: test entry}, stdout)."""
        if attack is not None:
            files = {"answer.cpp": self.attack_source(attack)}
        submission, results = self.tmp / "submission", self.tmp / "results"
        for folder in (submission, results):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        for rel, data in files.items():
            (submission / rel).parent.mkdir(parents=True, exist_ok=True)
            (submission / rel).write_bytes(data if isinstance(data, bytes) else data.encode())
        for rel, target in (links or {}).items():
            os.symlink(target, submission / rel)
        out = subprocess.run([str(self.tmp / "run_autograder")], capture_output=True,
                             text=True, env=dict(os.environ, AUTOGRADER_ROOT=str(self.tmp)))
        self.assertEqual(out.returncode, 0, out.stdout[-2000:] + out.stderr[-2000:])
        doc = json.loads((results / "results.json").read_text())
        self.assertEqual(gradescope.check(doc), [])
        self.assertNoGradingProcesses()
        self.assertNothingHidden(doc, out.stdout + out.stderr)
        return doc, {t["name"]: t for t in doc["tests"]}, out.stdout

    def attack_source(self, name, **replace):
        text = (ATTACKS / name).read_text().replace("@AUTOGRADER_ROOT@", str(self.tmp))
        for key, value in replace.items():
            text = text.replace(f"@{key}@", value)
        return text

    def assertNoGradingProcesses(self):
        left = {u.name: isolation.processes_of(u.uid) for u in self.users.all()}
        self.assertEqual({k: v for k, v in left.items() if v}, {})

    def assertNothingHidden(self, doc, stdout):
        """What the student sees: the top-level output, every visible test entry, a hidden
        test's output once the grades are published (its name is shown then, by design), and
        the autograder's stdout (hidden from students anyway)."""
        seen = [stdout, doc.get("output", ""), json.dumps(doc.get("extra_data", {}))]
        for t in doc["tests"]:
            seen.append(json.dumps(t) if t["visibility"] == "visible" else t["output"])
        text = "\n".join(seen)
        for word in self.words:
            self.assertNotIn(word, text)

    def assertScores(self, tests, expected):
        self.assertEqual({n: tests[n]["score"] for n in expected}, expected,
                         {n: tests[n]["output"][:300] for n in expected})

    # --- honest submissions ---------------------------------------------------------------

    def test_loose_files_anywhere_in_the_submission(self):
        doc, tests, _ = self.autograde({"my work/answer.cpp": FIXED})
        self.assertScores(tests, dict(HONEST, **{n: 1 for n in HIDDEN_NAMES}))
        self.assertIn("crashed with SIGABRT", tests["TestAbort"]["output"])
        for name in HIDDEN_NAMES:
            self.assertEqual(tests[name]["visibility"], "after_published")
            self.assertEqual(tests[name]["output"], "passed 1 of 1 run(s)")

    def test_wrong_answer_loses_that_test_only(self):
        stub = (support.REPO / STUDENT_FILE).read_text()
        _, tests, _ = self.autograde({"answer.cpp": stub})
        self.assertEqual(tests["TestAnswer"]["score"], 0)
        self.assertIn("0 == 42", tests["TestAnswer"]["output"])
        self.assertEqual(tests["TestHonestPass"]["score"], 1)

    def test_submit_tarball_is_verified_and_used(self):
        tarball = self._tarball(FIXED)
        _, tests, _ = self.autograde({"submission.tar.gz": tarball.read_bytes()})
        self.assertEqual(tests["TestAnswer"]["score"], 1)

    def test_tampered_tarball_scores_zero(self):
        tarball = self._tarball(FIXED, tamper=True)
        doc, _, _ = self.autograde({"submission.tar.gz": tarball.read_bytes()})
        self.assertEqual(doc["score"], 0)
        self.assertIn("checksum does not match", doc["output"])

    def test_missing_file_scores_zero_with_the_reason(self):
        doc, tests, _ = self.autograde({"README.txt": "oops"})
        self.assertEqual(doc["score"], 0)
        self.assertIn(f"missing {STUDENT_FILE}", doc["output"])
        self.assertIn("submission is incomplete", tests["TestAnswer"]["output"])

    def test_build_error_scores_zero_with_the_compiler_output(self):
        doc, _, _ = self.autograde({"answer.cpp": "int Answer( {\n"})
        self.assertEqual(doc["score"], 0)
        self.assertIn("did not build", doc["output"])
        self.assertIn("error", doc["output"])

    def test_a_grader_that_stops_without_a_report_gives_zero_with_the_reason(self):
        config = self.source / "grading/gradescope/assignment.json"
        saved = config.read_bytes()
        config.write_text(json.dumps(dict(json.loads(saved), grade_args=["--runs", "0"])))
        try:
            doc, tests, _ = self.autograde({"answer.cpp": FIXED})
        finally:
            config.write_bytes(saved)
        self.assertEqual(doc["score"], 0)
        self.assertIn("grader stopped without a result (it exited with status 2)",
                      doc["output"])
        self.assertIn("grader stopped", tests["TestHonestPass"]["output"])

    # --- hostile submissions (hostile_submissions/README.md) --------------------------------

    def test_forged_results_and_killed_grader_give_the_honest_score(self):
        doc, tests, _ = self.autograde({}, attack="forge_results.cpp")
        self.assertScores(tests, dict(HONEST, **{n: 1 for n in HIDDEN_NAMES}))
        self.assertNotIn("FORGED", (self.tmp / "results/results.json").read_text())
        self.assertFalse((self.tmp / "results/logs/forged.json").exists())
        binary = self.tmp / "public/build/debug/bin/grader_fake_tests"
        self.assertNotIn(b"echo FORGED", binary.read_bytes()[:64])
        self.assertNotIn("FORGED", (self.source / "grading/grader/verdict.py").read_text())

    def test_include_of_the_hidden_test_gives_zero_and_shows_nothing(self):
        doc, _, _ = self.autograde({}, attack="include_hidden.cpp")
        self.assertEqual(doc["score"], 0)
        self.assertIn("did not build", doc["output"])
        self.assertIn("No such file or directory", doc["output"])

    def test_include_where_the_hidden_test_exists_fails_the_hidden_tests_only(self):
        doc, tests, _ = self.autograde({}, attack="include_hidden_if_present.cpp")
        self.assertScores(tests, dict(HONEST, **{n: 0 for n in HIDDEN_NAMES}))
        for name in HIDDEN_NAMES:
            self.assertIn("could not be built with this submission", tests[name]["output"])

    def test_include_of_each_instructor_only_file_gives_zero(self):
        files = self.instructor_only_files()
        self.assertGreaterEqual(len(files), 8, files)
        for path in files:
            with self.subTest(str(path.relative_to(self.tmp))):
                doc, _, _ = self.autograde({"answer.cpp": self.attack_source(
                    "include_file.cpp", INSTRUCTOR_FILE=str(path))})
                self.assertEqual(doc["score"], 0)
                self.assertIn(f"{path}: Permission denied", doc["output"])

    def test_a_daemon_rewriting_results_is_dead_before_results_are_written(self):
        doc, tests, _ = self.autograde({}, attack="background_rewriter.cpp")
        self.assertScores(tests, dict(HONEST, **{n: 1 for n in HIDDEN_NAMES}))
        written = (self.tmp / "results/results.json").read_text()
        time.sleep(0.5)
        self.assertEqual((self.tmp / "results/results.json").read_text(), written)
        self.assertNotIn("FORGED", written)

    def test_reading_its_own_binary_and_memory_finds_no_hidden_test(self):
        with _Listener() as listener:
            doc, tests, _ = self.autograde({"answer.cpp": self.attack_source(
                "read_secrets.cpp", EXFILTRATION_PORT=str(listener.port))})
        self.assertScores(tests, dict(HONEST, TestAnswer=0, **{n: 1 for n in HIDDEN_NAMES}))
        shown = tests["TestAnswer"]["output"]
        self.assertIn("ATTACK-FOUND:", shown)      # what it printed is shown to the student,
        self.assertIn("TestHonestPass", shown)     # and the search works on public names
        if isolation.network_isolated():
            self.assertEqual(listener.received, b"")
            self.assertIn("ATTACK could not connect out", shown)
        else:   # a hidden run could send what it read anywhere: see the threat model
            print("\n[no network namespace here: the hidden runs had network access]")

    def test_a_fork_bomb_is_stopped_and_cleaned_up(self):
        doc, tests, _ = self.autograde({}, attack="fork_bomb.cpp")
        self.assertScores(tests, dict(HONEST, TestAnswer=0, **{n: 1 for n in HIDDEN_NAMES}))
        self.assertIn("timed out", tests["TestAnswer"]["output"])

    def test_a_symbolic_link_in_the_submission_is_not_followed(self):
        hidden = self.source / "grading/hidden/grader_fake/hidden_sample_test.cpp"
        doc, _, _ = self.autograde({}, links={"answer.cpp": hidden})
        self.assertEqual(doc["score"], 0)
        self.assertIn(f"missing {STUDENT_FILE}", doc["output"])

    # --- helpers ----------------------------------------------------------------------------

    def instructor_only_files(self):
        """The files of the instructors' tree that the public tree lacks or has otherwise,
        plus the hidden binary and its objects."""
        public = self.tmp / "public"
        found = []
        for path in sorted(self.source.rglob("*")):
            rel = path.relative_to(self.source)
            if not path.is_file() or rel.parts[0] == "build":
                continue
            twin = public / rel
            if not twin.is_file() or twin.read_bytes() != path.read_bytes():
                found.append(path)
        build = self.source / "build/debug"
        found.append(build / "bin/grader_fake_hidden_tests")
        found += sorted(build.rglob("hidden_sample_test.cpp.o"))
        return found

    def _tarball(self, text, tamper=False):
        root = self.tmp / "student-repo"
        shutil.rmtree(root, ignore_errors=True)
        (root / STUDENT_FILE).parent.mkdir(parents=True)
        (root / STUDENT_FILE).write_text(text)
        manifest = load_manifest(MANIFEST)
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


class _Listener:
    """A TCP listener on 127.0.0.1 that keeps whatever is sent to it."""

    def __enter__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def _accept(self):
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self.socket.accept()
                with connection:
                    while chunk := connection.recv(65536):
                        self.received += chunk

    def __exit__(self, *exc):
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)   # wakes the accept() above
        self.socket.close()
        self.thread.join(timeout=5)


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
