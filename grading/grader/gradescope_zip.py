"""`./lab handout --gradescope LAB ZIP`: the autograder zip to upload to Gradescope.

The zip is the student handout (leak-checked: no solutions) plus what grading needs and
students must not see: the hidden tests (grading/hidden/), the full manifests (with the
hidden tests listed) and the Gradescope glue (grading/gradescope/). At its root, as Gradescope
requires, sit setup.sh and run_autograder; grading/gradescope/assignment.json says which lab
the assignment grades, which of its tests (default: all) and with which extra `./lab grade`
options (e.g. --runs 5).
"""

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from .handout import HandoutError, make_handout
from .manifest import load_manifest

GLUE = Path("grading/gradescope")


def make_zip(root, lab, zip_path, manifest=None, extra=(), select=(), grade_args=()):
    """Writes the autograder zip for one lab. manifest: a manifest path relative to root
    (default labs/<lab>.json); extra: more repository paths to include (files or folders);
    select: what to grade (default: the whole lab); grade_args: more `./lab grade` options."""
    root = Path(root).resolve()
    manifest = manifest or f"labs/{lab}.json"
    loaded = load_manifest(root / manifest)
    if loaded.lab != lab or not loaded.student_files:
        raise HandoutError(f"{manifest} is not a lab with student files named '{lab}'")
    with tempfile.TemporaryDirectory(prefix="autograder-") as tmp:
        tree = Path(tmp) / "source"
        make_handout(root, tree, check_build=False)
        for rel in ["grading/hidden", str(GLUE), "labs", manifest, *extra]:
            _copy(root / rel, tree / rel)
        config = {"lab": lab, "manifest": manifest, "select": list(select),
                  "grade_args": list(grade_args)}
        (tree / GLUE / "assignment.json").write_text(json.dumps(config, indent=2) + "\n")
        for script in ("setup.sh", "run_autograder"):
            shutil.copy2(tree / GLUE / script, tree / script)
        _zip(tree, Path(zip_path))
    print(f"handout: wrote {zip_path}: the autograder of {lab}; upload it on the assignment's "
          "'Configure Autograder' page")


def _copy(src, dst):
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    elif src.is_file():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


def _zip(tree, zip_path):
    """Zips tree's files at the zip's root, keeping the executable bits."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in tree.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(str(path.relative_to(tree)))
            info.external_attr = (path.stat().st_mode & 0o777) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
