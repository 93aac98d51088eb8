"""The Gradescope autograder: setting up the image (setup.sh) and grading one submission
(run_autograder). docs/en/instructors.md, "Gradescope" and "Threat model", says why.

    /autograder/source/        the unpacked autograder zip: the instructors' tree (hidden tests,
                               full manifests, this glue); after setup, readable by root and
                               the group distlabs-hidden only
    /autograder/public/        made by setup: the same tree without anything instructor-only
                               (no grading/hidden/, no grading/gradescope/, manifests without
                               hidden tests); the student's code is compiled and run here
    /autograder/submission/    what the student uploaded
    /autograder/results/       results.json, which Gradescope reads back; root's only

Setup, once per image (as root):
  1. create the grading users (grader/isolation.py);
  2. make the public tree and prove it holds no hidden test name and no hidden file;
  3. lock the instructors' tree away from everyone but root and distlabs-hidden;
  4. build the public test binary in the public tree (as distlabs-build) and the hidden one in
     the instructors' tree (as distlabs-hidden), so that grading only recompiles the student's
     files; check that the public binary holds no hidden test.

Grading a submission (as root):
  1. take the student files from the submission (no symbolic link is followed);
  2. build the public binary with them, as distlabs-build: its output is the student's to see;
     a build error scores zero with that output;
  3. build the hidden binary with them, as distlabs-hidden: its output is never shown; if it
     fails, the hidden tests fail;
  4. grade (grader/grade.py --isolate) in a child process: the public tests, then the hidden
     ones, each run as a grading user; its report goes to a folder only root can read;
  5. kill every process of every grading user, then write results.json, last, from that
     report; a grader that died or wrote no report means zero, with the reason.
Student code never runs as root and never writes where the grader reads.

AUTOGRADER_ROOT replaces /autograder (grading/tests/test_gradescope.py fakes the layout in a
temporary folder that way).
"""

import io
import json
import os
import shutil
import stat
import sys
import tarfile
import tempfile
import traceback
from pathlib import Path

ROOT = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
SOURCE = ROOT / "source"
PUBLIC = ROOT / "public"
SUBMISSION = ROOT / "submission"
RESULTS = ROOT / "results"
CONFIG = Path("grading/gradescope/assignment.json")

sys.path.insert(0, str(SOURCE / "grading"))
from grader import build, gradescope, grade, handout, isolation, submit  # noqa: E402
from grader.manifest import load_manifest  # noqa: E402

# What the public tree leaves out of the instructors' tree (build/ is made anew).
_INSTRUCTOR_ONLY = ("grading/hidden", "grading/gradescope", "setup.sh", "run_autograder",
                    "build")
_MAX_STUDENT_FILE_BYTES = 4 * 1024 * 1024
_PRESET = "debug"


class SetupError(Exception):
    pass


def load_config():
    config = json.loads((SOURCE / CONFIG).read_text())
    return config, load_manifest(SOURCE / config["manifest"])


# --- setup -----------------------------------------------------------------------------------

def setup():
    os.umask(0o022)
    config, manifest = load_config()
    isolation.create_users()
    users = isolation.Users()
    _make_public_tree(config, manifest)
    _lock_down(users)
    with isolation.sandbox_lock(sys.stdout):
        isolation.become_subreaper()
        build.build(PUBLIC, _PRESET, [manifest.build_target], identity=users.build)
        hidden = _hidden_targets(manifest)
        if hidden:
            build.build(SOURCE, _PRESET, hidden, identity=users.hidden_build)
        _check_binaries(manifest, users)
    network = ("no network" if isolation.network_isolated() else "THE NETWORK: this kernel "
               "refuses network namespaces, so a hidden run could send out what it reads")
    print(f"setup: ready to grade {manifest.lab}: public tree {PUBLIC}, instructors' tree "
          f"{SOURCE} (root and group {isolation.HIDDEN_USER} only); runs have {network}")


def _make_public_tree(config, manifest):
    """PUBLIC = SOURCE minus what is instructor-only, manifests without hidden tests; then the
    proof: no public file names a hidden test or equals a hidden file."""
    if PUBLIC.exists():   # setup.sh again: start afresh, but keep the build tree's work
        for path in PUBLIC.iterdir():
            if path.name != "build":
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    manifests = {str(p.relative_to(SOURCE)) for p in (SOURCE / "labs").glob("*.json")}
    manifests.add(config["manifest"])
    for path in sorted(SOURCE.rglob("*")):
        rel = str(path.relative_to(SOURCE))
        if any(rel == x or rel.startswith(x + "/") for x in _INSTRUCTOR_ONLY) \
                or path.is_symlink() or not path.is_file():
            continue
        target = PUBLIC / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if rel in manifests:
            data = handout.without_hidden_tests(data)
        target.write_bytes(data)
        os.chmod(target, stat.S_IMODE(path.stat().st_mode) & 0o755 | 0o444)
    for folder in [PUBLIC, *(p for p in PUBLIC.rglob("*") if p.is_dir())]:
        os.chmod(folder, 0o755)
    leaks = _public_leaks(manifest)
    if leaks:
        raise SetupError("the public tree would leak hidden tests:\n  " + "\n  ".join(leaks))


def hidden_words(manifest):
    """The hidden tests' names (from every full manifest) and the hidden files' bytes."""
    names = {t.name for m in [manifest, *_all_manifests()] for t in m.tests() if t.hidden}
    files = {str(p.relative_to(SOURCE)): p.read_bytes()
             for p in (SOURCE / "grading" / "hidden").rglob("*") if p.is_file()}
    return sorted(names), files


def _all_manifests():
    return [load_manifest(p) for p in sorted((SOURCE / "labs").glob("*.json"))]


def _public_leaks(manifest):
    names, files = hidden_words(manifest)
    secret_bytes = {data: rel for rel, data in files.items() if len(data) >= 64}
    leaks = []
    for path in sorted(p for p in PUBLIC.rglob("*") if p.is_file()):
        rel = str(path.relative_to(PUBLIC))
        data = path.read_bytes()
        leaks += [f"{rel}: names the hidden test '{n}'" for n in names if n.encode() in data]
        if data in secret_bytes:
            leaks.append(f"{rel}: identical to {secret_bytes[data]}")
    return leaks


def _lock_down(users):
    """SOURCE: root and group distlabs-hidden only, nobody may write; SOURCE/build belongs to
    distlabs-hidden, PUBLIC/build to distlabs-build; ROOT stays open to walk through."""
    group = users.hidden_gid
    for path in [SOURCE, *SOURCE.rglob("*")]:
        if path.is_symlink() or (SOURCE / "build") in [path, *path.parents]:
            continue
        os.chown(path, 0, group)
        mode = stat.S_IMODE(path.stat().st_mode)
        os.chmod(path, (mode & 0o750) | (0o750 if path.is_dir() else 0o640))
    for tree, owner in ((SOURCE, users.hidden_build), (PUBLIC, users.build)):
        folder = tree / "build"
        folder.mkdir(exist_ok=True)
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, owner.uid, owner.gid, follow_symlinks=False)
        os.chmod(folder, 0o750 if tree == SOURCE else 0o755)
    os.chown(ROOT, 0, 0)
    os.chmod(ROOT, 0o755)


def _hidden_targets(manifest):
    if manifest.has_hidden_tests() and any((SOURCE / "grading" / "hidden" / manifest.suite)
                                           .glob("*.cpp")):
        return [manifest.hidden_target]
    return []


def _check_binaries(manifest, users):
    """The public binary lists no hidden test and holds none of their names; the hidden one
    lists every hidden test of the manifest."""
    names, _ = hidden_words(manifest)
    visible = PUBLIC / "build" / _PRESET / "bin" / manifest.binary_name
    listed = build.list_tests(visible, identity=users.runs[0])
    data = visible.read_bytes()
    found = sorted(n for n in names if n in listed or n.encode() in data)
    if found:
        raise SetupError(f"{visible} holds hidden tests: {', '.join(found)}")
    if _hidden_targets(manifest):
        hidden_binary = SOURCE / "build" / _PRESET / "bin" / manifest.hidden_target
        listed = build.list_tests(hidden_binary, identity=users.runs[0],
                                  extra_gids=[users.hidden_gid])
        missing = [t.name for t in manifest.tests() if t.hidden and t.name not in listed]
        if missing:
            raise SetupError(f"{hidden_binary} lacks the hidden tests {', '.join(missing)}")


# --- grading one submission ------------------------------------------------------------------

def run():
    """Grades the submission; always leaves a results.json and returns 0."""
    os.umask(0o022)
    config, manifest = load_config()
    _prepare_results()
    try:
        with isolation.sandbox_lock(sys.stdout):
            users = isolation.Users()
            isolation.become_subreaper()
            try:
                document = _grade(config, manifest, users)
            finally:
                for identity in users.all():
                    isolation.kill_user(identity)
                isolation.reap_children()
    except Exception:   # never leave Gradescope without a results.json
        traceback.print_exc()
        document = _zero(manifest, "The autograder failed; please tell the course staff.",
                         "the autograder failed")
    gradescope.write(document, RESULTS / "results.json")   # last, from our own results
    print(document["output"])
    return 0


def _prepare_results():
    """The results folder is root's: nobody else may write it, and nothing in it counts."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.chown(RESULTS, 0, 0)
    os.chmod(RESULTS, 0o755)
    (RESULTS / "results.json").unlink(missing_ok=True)


def _grade(config, manifest, users):
    files, problems = find_student_files(manifest)
    if problems:
        return _zero(manifest, "Your submission could not be graded:\n  "
                     + "\n  ".join(problems) + "\nExpected files: "
                     + ", ".join(manifest.student_files),
                     "the submission is incomplete (see the output at the top)")
    for rel, data in files.items():
        for tree in (PUBLIC, SOURCE):
            (tree / rel).write_bytes(data)
    try:
        build.build(PUBLIC, _PRESET, [manifest.build_target], identity=users.build)
    except build.BuildError as e:
        return _zero(manifest, f"Your code did not build, so every test scores zero.\n{e}\n\n"
                               f"--- end of the build output ---\n{e.output}",
                     "the code did not build (see the output at the top)")
    logs = RESULTS / "logs"
    logs.mkdir(exist_ok=True)
    _build_hidden(manifest, users, logs)
    return _run_grader(config, manifest, users, logs)


def _build_hidden(manifest, users, logs):
    """Builds the hidden binary with the student's files; its output goes to a file only root
    reads. On failure the binary is missing, and the grader fails the hidden tests."""
    for target in _hidden_targets(manifest):
        (SOURCE / "build" / _PRESET / "bin" / target).unlink(missing_ok=True)
    targets = _hidden_targets(manifest)
    if not targets:
        return
    fd = os.open(logs / "hidden-build.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8") as log:
        try:
            build.build(SOURCE, _PRESET, targets, identity=users.hidden_build, echo=log)
        except build.BuildError as e:
            print(f"autograder: the hidden tests did not build with this submission ({e}); "
                  f"they score zero (output in {logs / 'hidden-build.log'})", file=log)


def _run_grader(config, manifest, users, logs):
    """Runs grade.py in a child process (so that a grader that dies is seen as such); its
    report and output stay in a folder only root can read. Returns the results document."""
    state = Path(tempfile.mkdtemp(prefix="distlabs-grader-"))
    report = state / "results.json"
    argv = [*(config.get("select") or [manifest.lab]), "--manifest",
            str(SOURCE / config["manifest"]), "--no-build", "--build-dir",
            str(PUBLIC / "build" / _PRESET), "--hidden-build-dir",
            str(SOURCE / "build" / _PRESET), "--isolate", "--results", str(report),
            "--logs", str(logs), "--quiet", *config.get("grade_args", [])]
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:   # the grader: selections and names stay off its command line
        status = 4
        try:
            out = os.open(logs / "grader.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(out, 1)
            os.dup2(out, 2)
            parser = _grade_parser()
            status = grade.run(parser.parse_args(argv), SOURCE, users)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    _, wait_status = os.waitpid(pid, 0)
    try:
        return _report(manifest, report, wait_status)
    finally:
        shutil.rmtree(state, ignore_errors=True)


def _grade_parser():
    import argparse
    parser = argparse.ArgumentParser(prog="grade")
    grade.add_arguments(parser)
    return parser


def _report(manifest, report, wait_status):
    if os.WIFSIGNALED(wait_status):
        how = f"was killed by signal {os.WTERMSIG(wait_status)}"
    else:
        code = os.WEXITSTATUS(wait_status)
        how = "" if code in (grade.EXIT_OK, grade.EXIT_LOST_POINTS) else \
            f"exited with status {code}"
    document = None
    if not how:
        try:
            document = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            how = "wrote no report"
    if document is not None and gradescope.check(document):
        how, document = "wrote a report that is not valid", None
    if document is None:
        return _zero(manifest, f"The grader stopped without a result (it {how}); every test "
                               "scores zero. Please tell the course staff.",
                     f"the grader stopped without a result (it {how})")
    return _public_extra_data(document, manifest)


def _public_extra_data(document, manifest):
    """extra_data keeps the public runs only (no hidden name, plan or manifest): nothing there
    is for students, but nothing there needs to be secret either."""
    hidden = {t.name for t in manifest.tests() if t.hidden}
    grader = document.get("extra_data", {}).get("grader", {})
    document["extra_data"] = {"grader": {
        "base_seed": grader.get("base_seed"),
        "results": [r for r in grader.get("results", []) if r.get("test") not in hidden]}}
    return document


def _zero(manifest, message, why):
    tests = [(manifest.lab, t) for t in manifest.tests()]
    return gradescope.zero_document(tests, message, why, {})


# --- the submission --------------------------------------------------------------------------

def find_student_files(manifest):
    """{relative path: bytes} of the student files in the submission, and a list of
    problems (missing files, a tarball whose checksums do not match). Symbolic links are
    ignored: the submission's files are read as root."""
    uploaded = _regular_files(SUBMISSION)
    tarballs = sorted(p for p in uploaded if p.name.endswith((".tar.gz", ".tgz")))
    if tarballs:
        return _from_tarball(manifest, tarballs[0])
    files, problems = {}, []
    for rel in manifest.student_files:
        exact = SUBMISSION / rel
        by_name = sorted((p for p in uploaded if p.name == Path(rel).name),
                         key=lambda p: len(p.parts))
        found = exact if exact in uploaded else (by_name[0] if by_name else None)
        if found is None:
            problems.append(f"missing {rel} (upload it, or the tarball of ./lab submit)")
            continue
        data = _read_regular(found)
        if data is None:
            problems.append(f"{found.name} is larger than {_MAX_STUDENT_FILE_BYTES} bytes")
        else:
            files[rel] = data
    return files, problems


def _regular_files(folder):
    """The regular files under folder, not following symbolic links (nor __MACOSX)."""
    found = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if d != "__MACOSX"]
        for name in names:
            path = Path(parent) / name
            if stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path)
    return found


def _read_regular(path):
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with open(fd, "rb") as f:
        data = f.read(_MAX_STUDENT_FILE_BYTES + 1)
    return data if len(data) <= _MAX_STUDENT_FILE_BYTES else None


def _from_tarball(manifest, path):
    data = _read_regular(path)
    if data is None:
        return {}, [f"{path.name} is larger than {_MAX_STUDENT_FILE_BYTES} bytes"]
    try:
        problems = submit.verify(fileobj=io.BytesIO(data), max_bytes=_MAX_STUDENT_FILE_BYTES)
        files = {}
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
            for rel in manifest.student_files:
                content = submit.member_bytes(tar, rel, _MAX_STUDENT_FILE_BYTES)
                if content is None:
                    problems.append(f"{path.name} has no {rel} (or it is too large)")
                else:
                    files[rel] = content
    except (tarfile.TarError, EOFError, OSError) as e:
        return {}, [f"{path.name} is not a readable tarball ({e})"]
    return files, problems


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        try:
            setup()
        except (SetupError, isolation.IsolationError, build.BuildError) as e:
            print(f"setup: error: {e}", file=sys.stderr)
            if isinstance(e, build.BuildError) and e.output:
                print(e.output, file=sys.stderr)
            sys.exit(1)
    elif sys.argv[1:] == ["run"]:
        sys.exit(run())
    else:
        print("usage: autograder.py setup|run", file=sys.stderr)
        sys.exit(2)
