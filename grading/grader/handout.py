"""`./lab handout DIR`: write the student distribution, prove it leaks nothing and works.

    ./lab handout ~/handout/labs-2025          # then publish that repository (git push)

Steps:
  1. copy every repository file except those handout_exclude.txt lists (solutions, mutants,
     hidden tests, instructor-only files) into DIR, which must be new or empty; on the way,
     manifests lose their hidden tests and Markdown files their course-only parts (below),
     and the student READMEs take the place of the repository's;
  2. leak check (leakcheck.py) over DIR: any leak fails the handout;
  3. make DIR a git repository with one commit holding every file (students track their
     work in git, and `git diff` shows them what they changed);
  4. configure DIR with the debug preset and build the labs' test targets;
  5. run one quick test in DIR with DIR's own grader (default: labrpc/TestBasic).

Course-only Markdown: the lines from `<!-- handout: omit -->` to `<!-- handout: end -->` (each
marker on a line of its own) are left out of the handout; they name what a handout lacks
(selftest, solutions, instructor documents). The handout's README.md and docs/zh/README.md
begin with the student READMEs, docs/en/handout-README.md and docs/zh/handout-README.md, and
go on with what is left of the original (nothing, for README.md, which is all course-only).

`./lab handout --gradescope LAB autograder.zip` writes Gradescope's autograder instead
(gradescope_zip.py). `./lab handout --check DIR` runs only the leak check, e.g. on a
published handout repository after the course's files changed.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import build, leakcheck
from .distribution import load_exclude_list, split
from .manifest import ManifestError, load_all

DEFAULT_QUICK_TEST = "labrpc/TestBasic"

# The handout's README of each language: the student README, then the original's text minus
# its course-only blocks.
STUDENT_READMES = {"README.md": "docs/en/handout-README.md",
                   "docs/zh/README.md": "docs/zh/handout-README.md"}
_OMIT_BLOCK = re.compile(rb"^<!-- handout: omit -->\n.*?^<!-- handout: end -->\n",
                         re.MULTILINE | re.DOTALL)
# The handout's one commit: the same author for every handout, so that two handouts of the
# same files differ only in their date.
_GIT_IDENTITY = ["-c", "user.name=Course staff", "-c", "user.email=course-staff@handout.invalid"]


class HandoutError(Exception):
    pass


def add_arguments(parser):
    parser.add_argument("dir", help="folder to write (must not exist, or be empty)")
    parser.add_argument("--gradescope", metavar="LAB",
                        help="write instead the Gradescope autograder zip of LAB to DIR "
                             "(a .zip path): the handout plus hidden tests and glue")
    parser.add_argument("--manifest", metavar="FILE",
                        help="with --gradescope: the lab's manifest (default labs/LAB.json)")
    parser.add_argument("--extra", action="append", default=[], metavar="PATH",
                        help="with --gradescope: another repository path to include")
    parser.add_argument("--select", nargs="+", default=[], metavar="NAME",
                        help="with --gradescope: grade only these parts or tests")
    parser.add_argument("--grade-args", default="", metavar="ARGS",
                        help="with --gradescope: extra ./lab grade arguments, e.g. '--runs 5'")
    parser.add_argument("--check", action="store_true",
                        help="only leak-check DIR, an existing handout, against this repository")
    parser.add_argument("--no-build", action="store_true",
                        help="only write and leak-check the folder")
    parser.add_argument("--targets", nargs="+", metavar="TARGET",
                        help="build only these targets (default: every lab's build_target)")
    parser.add_argument("--quick-test", default=DEFAULT_QUICK_TEST, metavar="LAB/TEST",
                        help=f"the test run in the handout (default: {DEFAULT_QUICK_TEST})")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N")


def run(args, root):
    if args.gradescope:
        from .gradescope_zip import make_zip   # imports this module: import here, not above
        try:
            make_zip(root, args.gradescope, Path(args.dir), manifest=args.manifest,
                     extra=args.extra, select=args.select,
                     grade_args=args.grade_args.split())
        except (HandoutError, ManifestError) as e:
            print(f"handout: {e}", file=sys.stderr)
            return 1
        return 0
    if args.check:
        leaks, summary = leak_check(root, Path(args.dir))
        for leak in leaks:
            print(f"  {leak}")
        print(f"handout: leak check of {args.dir}: "
              + (f"FAILED, {len(leaks)} finding(s)" if leaks else f"clean ({summary})"))
        return 1 if leaks else 0
    try:
        make_handout(root, Path(args.dir).resolve(), check_build=not args.no_build,
                     targets=args.targets, quick_test=args.quick_test, jobs=args.jobs,
                     git=True)
    except (HandoutError, ManifestError, ValueError) as e:
        print(f"handout: {e}", file=sys.stderr)
        return 1
    return 0


def make_handout(root, dest, check_build=True, targets=None, quick_test=DEFAULT_QUICK_TEST,
                 jobs=2, git=False):
    root = Path(root).resolve()
    _check_destination(root, dest)
    manifests = load_all(root / "labs")
    exclude = load_exclude_list()
    handed, secret, instructor = split(root, exclude)
    contents = {rel: _handout_bytes(root, rel) for rel in handed}
    _write(root, dest, contents)
    print(f"handout: wrote {len(contents)} files to {dest}; left out {len(secret)} secret and "
          f"{len(instructor)} instructor-only files ({exclude.source})")

    leaks, summary = leak_check(root, dest)
    if leaks:
        raise HandoutError(f"leak check FAILED, {len(leaks)} finding(s):\n"
                           + "\n".join(f"  {leak}" for leak in leaks))
    print(f"handout: leak check: clean ({summary} looked for)")
    if git:
        _commit_all(dest)
    if not check_build:
        return
    targets = targets or sorted({m.build_target for m in manifests})
    try:
        build.build(dest, "debug", targets, jobs=jobs)
    except build.BuildError as e:
        raise HandoutError(f"the handout does not build: {e}; something it needs was left "
                           "out, or a CMakeLists.txt refers to a folder that is not handed "
                           "out") from None
    _run([sys.executable, "-m", "grader", "grade", quick_test, "--runs", "1", "-j", "1",
          "--no-build", "--build-dir", str(dest / "build" / "debug"), "--quiet"],
         dest, "quick test", env=dict(os.environ, LAB_ROOT=str(dest),
                                      PYTHONPATH=str(dest / "grading"),
                                      PYTHONDONTWRITEBYTECODE="1"))
    print(f"handout: {dest} builds ({', '.join(targets)}) and passes {quick_test}")


def leak_check(root, folder):
    """Runs the leak check of folder against the repository at root.
    Returns (leaks, a summary of what was looked for)."""
    manifests = load_all(root / "labs")
    exclude = load_exclude_list()
    handed, secret, _ = split(root, exclude)
    contents = {rel: _handout_bytes(root, rel) for rel in handed}
    student_files = {f for m in manifests for f in m.student_files}
    hidden_names = [t.name for m in manifests for t in m.tests() if t.hidden]
    fingerprints = leakcheck.Fingerprints(root, secret, contents, student_files, hidden_names)
    return leakcheck.check_folder(folder, fingerprints, exclude), fingerprints.summary()


def _check_destination(root, dest):
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise HandoutError(f"{dest} exists and is not an empty folder")
    inside = dest == root or root in dest.parents
    if inside and (root / "build") not in [dest, *dest.parents]:
        raise HandoutError(f"{dest} is inside the repository; write the handout elsewhere "
                           "(or under build/)")


def _handout_bytes(root, rel):
    """A file as handed out: manifests lose their hidden tests, Markdown files their
    course-only blocks (the READMEs start with the student README), the rest is as is."""
    data = (root / rel).read_bytes()
    if rel.startswith("labs/") and rel.endswith(".json"):
        return without_hidden_tests(data)
    if rel.endswith(".md"):
        data = _OMIT_BLOCK.sub(b"", data)
        student = root / STUDENT_READMES.get(rel, "-")
        if rel in STUDENT_READMES and student.is_file():
            student = _OMIT_BLOCK.sub(b"", student.read_bytes())
            data = student + (b"\n" + data.lstrip(b"\n") if data.strip() else b"")
    return data


def _commit_all(dest):
    """Makes dest a git repository whose one commit holds every file of the handout."""
    git = ["git", *_GIT_IDENTITY, "-C", str(dest)]
    try:
        for command in (["init", "--quiet"], ["add", "--all"],
                        ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m",
                         "The lab handout\n\nYour work goes on top of this commit."]):
            subprocess.run(git + command, check=True, stdout=subprocess.DEVNULL)
    except FileNotFoundError:
        raise HandoutError("git is not installed (./lab installs it: run ./lab deps)") from None
    except subprocess.CalledProcessError as e:
        raise HandoutError(f"git {e.cmd[len(git)]} failed in {dest} (exit status "
                           f"{e.returncode})") from None
    print(f"handout: {dest} is a git repository with one commit of every file")


def without_hidden_tests(data):
    """A manifest's bytes as students get them: no hidden test, no part left empty."""
    doc = json.loads(data)
    removed = 0
    for part in doc.get("parts", []):
        kept = [t for t in part["tests"] if not t.get("hidden", False)]
        removed += len(part["tests"]) - len(kept)
        part["tests"] = kept
        if "points" in part:
            part["points"] = sum(t["points"] for t in kept)
    if not removed:
        return data
    doc["parts"] = [p for p in doc["parts"] if p["tests"]]
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def _write(root, dest, contents):
    for rel, data in contents.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        shutil.copymode(root / rel, target)


def _run(command, cwd, what, env=None):
    print(f"handout: {what}: {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=cwd, env=env)
    if result.returncode != 0:
        raise HandoutError(f"{what} failed in the handout (exit status {result.returncode}); "
                           "something the handout needs was left out, or a CMakeLists.txt "
                           "refers to a folder that is not handed out")
