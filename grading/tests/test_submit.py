"""`./lab submit`: the tarball holds the student files, a manifest and matching checksums."""

import io
import json
import shutil
import tarfile
import tempfile
import unittest
from pathlib import Path

import support  # noqa: F401
from grader import submit
from grader.manifest import parse_manifest


class Submit(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="submit-test-"))
        (self.tmp / "fake").mkdir()
        (self.tmp / "fake/student.cpp").write_text("int Answer() { return 42; }\n")
        self.manifest = parse_manifest(support.fake_manifest(["TestA"]))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_round_trip(self):
        out = self.tmp / "s.tar.gz"
        info = submit.pack(self.tmp, self.manifest, out)
        self.assertEqual([f["path"] for f in info["files"]], ["fake/student.cpp"])
        with tarfile.open(out) as tar:
            names = sorted(tar.getnames())
            self.assertEqual(names, ["SHA256SUMS", "SUBMISSION.json", "fake/student.cpp"])
            meta = json.loads(tar.extractfile("SUBMISSION.json").read())
        self.assertEqual(meta["lab"], "fake")
        self.assertEqual(submit.verify(out), [])

    def test_tampering_is_detected(self):
        out = self.tmp / "s.tar.gz"
        submit.pack(self.tmp, self.manifest, out)
        tampered = self.tmp / "t.tar.gz"
        with tarfile.open(out) as src, tarfile.open(tampered, "w:gz") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name == "fake/student.cpp":
                    data = b"int Answer() { return 41; }\n"
                    member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
        self.assertEqual(submit.verify(tampered), ["fake/student.cpp: checksum does not match"])


if __name__ == "__main__":
    unittest.main()
