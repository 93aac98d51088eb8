"""`./lab submit <lab>`: pack a lab's student files for handing in.

    ./lab submit raft            # writes submit-raft-<date>-<time>.tar.gz in the current folder

The tarball holds exactly the files the lab's manifest lists as student files (nothing else
is graded: the grader builds them against pristine framework files), at their paths in the
repository, plus:
  SUBMISSION.json   lab, time, the git commit if any, and each file's size and SHA-256
  SHA256SUMS        the same checksums in `sha256sum -c` format
The Gradescope autograder (grading/gradescope/run_autograder) accepts this tarball as it is.
"""

import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from .manifest import ManifestError, load_manifest

SUBMISSION_FILE = "SUBMISSION.json"
# What the stubs call until the student writes the code (raft/unimplemented.h and
# mapreduce/framework/unimplemented.h).
_STUB_MARKER = re.compile(r"\b(?:LAB|MR)_UNIMPLEMENTED\(")
CHECKSUM_FILE = "SHA256SUMS"


def add_arguments(parser):
    parser.add_argument("lab", help="the lab to submit (a name from labs/, e.g. raft)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="tarball to write (default: submit-<lab>-<time>.tar.gz)")


def run(args, root):
    try:
        manifest = load_manifest(root / "labs" / f"{args.lab}.json")
    except ManifestError as e:
        print(f"submit: no lab '{args.lab}': {e}", file=sys.stderr)
        return 2
    if not manifest.student_files:
        print(f"submit: {args.lab} has no student files to submit", file=sys.stderr)
        return 2
    missing = [f for f in manifest.student_files if not (root / f).is_file()]
    if missing:
        print(f"submit: missing student file(s): {', '.join(missing)}", file=sys.stderr)
        return 1
    output = Path(args.output or f"submit-{args.lab}-{time.strftime('%Y%m%d-%H%M%S')}.tar.gz")
    info = pack(root, manifest, output)
    for entry in info["files"]:
        print(f"  {entry['path']}  {entry['size']} bytes  sha256 {entry['sha256'][:16]}...")
    for warning in _stub_warnings(root, manifest):
        print(f"warning: {warning}")
    print(f"submit: wrote {output}")
    return 0


def pack(root, manifest, output):
    """Writes the tarball and returns its SUBMISSION.json content."""
    files = []
    for rel in manifest.student_files:
        data = (root / rel).read_bytes()
        files.append({"path": rel, "size": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()})
    info = {"lab": manifest.lab, "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                              time.gmtime()),
            "git_commit": _git(root, "rev-parse", "HEAD"), "files": files}
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in files)
    with tarfile.open(output, "w:gz") as tar:
        for rel in manifest.student_files:
            tar.add(root / rel, arcname=rel, recursive=False)
        _add_text(tar, SUBMISSION_FILE, json.dumps(info, indent=2) + "\n")
        _add_text(tar, CHECKSUM_FILE, sums)
    return info


def verify(tar_path=None, fileobj=None, max_bytes=16 * 1024 * 1024):
    """Checks a submission tarball's files (a path, or an open file) against its SHA256SUMS.
    Returns the list of problems ([] when every listed file is present and matches). A file
    larger than max_bytes is a problem, not something to unpack."""
    problems = []
    with tarfile.open(tar_path, "r:*", fileobj=fileobj) as tar:
        sums = member_bytes(tar, CHECKSUM_FILE, max_bytes)
        if sums is None:
            return [f"no {CHECKSUM_FILE} in the tarball"]
        for line in sums.decode(errors="replace").splitlines():
            digest, _, rel = line.partition("  ")
            data = member_bytes(tar, rel, max_bytes)
            if data is None:
                problems.append(f"{rel}: listed in {CHECKSUM_FILE} but missing, or too large")
                continue
            if hashlib.sha256(data).hexdigest() != digest:
                problems.append(f"{rel}: checksum does not match")
    return problems


def member_bytes(tar, name, max_bytes):
    """The content of a regular file in the tarball, or None (absent, not a regular file, or
    larger than max_bytes)."""
    try:
        member = tar.getmember(name)
    except KeyError:
        return None
    if not member.isfile() or member.size > max_bytes:
        return None
    return tar.extractfile(member).read()


def _add_text(tar, name, text):
    data = text.encode()
    member = tarfile.TarInfo(name)
    member.size, member.mtime, member.mode = len(data), int(time.time()), 0o644
    tar.addfile(member, io.BytesIO(data))


def _git(root, *args):
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                             timeout=30)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _stub_warnings(root, manifest):
    """Student files that still hold unimplemented stubs: probably not finished."""
    warnings = []
    for rel in manifest.student_files:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        count = len(_STUB_MARKER.findall(text))
        if count:
            warnings.append(f"{rel} still has {count} unimplemented stub(s) "
                            "(LAB_UNIMPLEMENTED / MR_UNIMPLEMENTED)")
    return warnings
