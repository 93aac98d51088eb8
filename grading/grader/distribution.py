"""Which files of the repository make up the student distribution, and which are secret.

The repository's files are what git tracks or would track (so build trees and other ignored
files never count); handout_exclude.txt, beside this file, sorts out what stays behind.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

EXCLUDE_LIST = Path(__file__).with_name("handout_exclude.txt")
SECTIONS = ("secret", "instructor-only")
_ALWAYS_SKIPPED = ("build/", ".git/")
_ALWAYS_SKIPPED_PARTS = ("__pycache__",)


@dataclass(frozen=True)
class ExcludeList:
    secret: tuple            # compiled patterns
    instructor_only: tuple
    source: str

    def section_of(self, rel):
        """'secret', 'instructor-only' or None (handed out) for a relative path."""
        if any(p.match(rel) for p in self.secret):
            return "secret"
        if any(p.match(rel) for p in self.instructor_only):
            return "instructor-only"
        return None


def glob_to_regex(glob):
    """'**/solution/**' -> a regex for relative paths ('**' spans folders, '*' does not)."""
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


def load_exclude_list(path=EXCLUDE_LIST):
    sections = {name: [] for name in SECTIONS}
    current = None
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            if current not in sections:
                raise ValueError(f"{path}:{number}: unknown section [{current}] (known: "
                                 f"{', '.join(SECTIONS)})")
            continue
        if current is None:
            raise ValueError(f"{path}:{number}: pattern before any [section]")
        sections[current].append(glob_to_regex(line))
    return ExcludeList(secret=tuple(sections["secret"]),
                       instructor_only=tuple(sections["instructor-only"]), source=str(path))


def repository_files(root):
    """Relative paths (strings, sorted) of the files in the repository: tracked plus untracked
    but not ignored, as git sees them; a plain walk when git is unavailable."""
    root = Path(root)
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=root, capture_output=True, check=True)
        names = [n for n in out.stdout.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]
    files = {n for n in names if (root / n).is_file() and not _always_skipped(n)}
    return sorted(files)


def _always_skipped(rel):
    return rel.startswith(_ALWAYS_SKIPPED) or any(
        part in _ALWAYS_SKIPPED_PARTS for part in Path(rel).parts)


def split(root, exclude=None):
    """(handed out, secret, instructor-only) relative paths of the repository."""
    exclude = exclude or load_exclude_list()
    handed, secret, instructor = [], [], []
    for rel in repository_files(root):
        section = exclude.section_of(rel)
        {"secret": secret, "instructor-only": instructor, None: handed}[section].append(rel)
    return handed, secret, instructor
