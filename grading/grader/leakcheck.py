"""The leak check: proof that no solution or hidden-test content reached a handout.

Leaving secret files out (distribution.py) is the first line; this check does not trust it.
It looks at the content of every file in the handout folder and reports:
  1. a path under a folder named solution/, mutants/ or grading/hidden/ (whatever the
     exclude list says);
  2. a file whose bytes equal a secret file's (a solution copied under another name);
  3. a run of CHUNK_LINES consecutive lines (blank and punctuation-only lines skipped,
     whitespace squeezed) that occurs in a secret file and in no public file of the
     repository, e.g. a stub overwritten with the solution, or one pasted function;
  4. the name of a hidden test (from the manifests and from grading/hidden/**/*.cpp).
"Public" means the files that are handed out, except that student files are taken as git
last committed them when there is a commit: a stub edited in the working tree is then
compared with the solution rather than trusted.
"""

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHUNK_LINES = 6      # long enough that a stub and its solution rarely share one by chance
_MIN_WHOLE_FILE_BYTES = 64       # tiny files (empty, one include) may match by accident
_SECRET_DIR_NAMES = ("solution", "mutants")
_TEST_NAME = re.compile(r'\b(?:LAB_TEST|TEST_CASE)\s*\(\s*"([^"]+)"')
_PUNCTUATION_ONLY = re.compile(r"^[\s{}()\[\];,]*$")


@dataclass(frozen=True)
class Leak:
    path: str       # relative to the handout folder
    line: int       # 0 when it concerns the whole file
    what: str

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.what}"


def _significant_lines(text):
    """(line number, normalized text) of the lines that carry content."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        squeezed = " ".join(line.split())
        if squeezed and not _PUNCTUATION_ONLY.match(squeezed):
            out.append((number, squeezed))
    return out


def _chunks(text):
    """{hash of CHUNK_LINES consecutive significant lines: first line number}."""
    lines = _significant_lines(text)
    chunks = {}
    for i in range(len(lines) - CHUNK_LINES + 1):
        window = "\n".join(text for _, text in lines[i:i + CHUNK_LINES])
        chunks.setdefault(hashlib.sha1(window.encode()).digest(), lines[i][0])
    return chunks


def _text(data):
    if b"\0" in data[:8192]:
        return None   # binary
    return data.decode("utf-8", errors="replace")


class Fingerprints:
    """What a handout must not contain, computed once from the source repository."""

    def __init__(self, root, secret_files, public_contents, student_files, hidden_test_names):
        """public_contents: {relative path: bytes} of what is handed out (after any rewriting,
        e.g. manifests without their hidden tests)."""
        root = Path(root)
        public = {}
        for rel, data in public_contents.items():
            committed = _committed(root, rel) if rel in student_files else None
            public[rel] = committed if committed is not None else data
        public_hashes = {hashlib.sha256(d).digest() for d in public.values()}
        public_chunks = set()
        for data in public.values():
            text = _text(data)
            if text is not None:
                public_chunks.update(_chunks(text))
        self.files = {}      # sha256 -> secret path
        self.chunks = {}     # chunk hash -> (secret path, line)
        names = set(hidden_test_names)
        for rel in secret_files:
            data = (root / rel).read_bytes()
            digest = hashlib.sha256(data).digest()
            if len(data) >= _MIN_WHOLE_FILE_BYTES and digest not in public_hashes:
                self.files[digest] = rel
            text = _text(data)
            if text is None:
                continue
            for chunk, line in _chunks(text).items():
                if chunk not in public_chunks:
                    self.chunks.setdefault(chunk, (rel, line))
            if rel.endswith((".cpp", ".h")) and rel.startswith("grading/hidden/"):
                names.update(_TEST_NAME.findall(text))
        public_text = "\n".join(t for t in (_text(d) for d in public.values()) if t)
        # A name that public code also uses is not a secret.
        self.hidden_names = sorted(n for n in names if n not in public_text)

    def summary(self):
        return (f"{len(self.files)} secret files, {len(self.chunks)} distinctive "
                f"{CHUNK_LINES}-line chunks, {len(self.hidden_names)} hidden test names")


def check_folder(folder, fingerprints, exclude):
    """Every leak found in folder (a handout). [] means the folder is clean."""
    folder = Path(folder)
    leaks = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = str(path.relative_to(folder))
        if rel.startswith("build/"):
            continue   # the handout's own build tree, made from the handout's files
        leaks += _check_file(rel, path.read_bytes(), fingerprints, exclude)
    return leaks


def _check_file(rel, data, fp, exclude):
    leaks = []
    parts = Path(rel).parts
    if exclude.section_of(rel) == "secret" or any(d in parts[:-1] for d in _SECRET_DIR_NAMES) \
            or rel.startswith("grading/hidden/"):
        leaks.append(Leak(rel, 0, "a secret path (solution, mutant or hidden test)"))
    secret = fp.files.get(hashlib.sha256(data).digest())
    if secret:
        leaks.append(Leak(rel, 0, f"identical to the secret file {secret}"))
    text = _text(data)
    if text is None:
        return leaks
    matches = [(line, fp.chunks[c]) for c, line in _chunks(text).items() if c in fp.chunks]
    if matches:
        line, (source, source_line) = min(matches)
        leaks.append(Leak(rel, line, f"{len(matches)} chunk(s) of {CHUNK_LINES} lines from "
                                     f"secret files, the first from {source}:{source_line}"))
    for name in fp.hidden_names:
        if name in text:
            line = text[:text.index(name)].count("\n") + 1
            leaks.append(Leak(rel, line, f"names the hidden test '{name}'"))
    return leaks


def _committed(root, rel):
    """A file as the last commit has it, or None (no git, no commit, or not committed)."""
    try:
        out = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=root, capture_output=True,
                             timeout=30)
    except OSError:
        return None
    return out.stdout if out.returncode == 0 else None
