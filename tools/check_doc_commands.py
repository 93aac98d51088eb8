#!/usr/bin/env python3
"""Check that every `./lab ...` command written in the documentation still works.

The notes and guides tell students to run commands such as

    ./lab test raft TestFigure8Unreliable2C --seed 42

This script finds every such command in README.md and in every Markdown file under docs/, and
checks it against the repository as it is now, so that renaming a test or a suite breaks
`./lab selftest` instead of silently breaking the notes.

What is extracted
  * Fenced code blocks (``` or ~~~): every shell line that runs `./lab`. Lines joined with a
    trailing backslash count as one. A line may start with `$ `, with environment assignments
    (`LAB_DEBUG=vote ./lab test ...`), or chain commands with `&&`, `||`, `;` and `|`; each
    piece that starts with `./lab` is checked. Redirections (`2>&1`, `> log.txt`) are ignored.
  * Inline code spans (`./lab test raft TestBackup2B`) anywhere else in the text.
  * Text inside HTML comments (<!-- ... -->) is skipped.

What is checked
  * The subcommand exists: a built-in (build, test, bench, selftest, deps, help) or an executable
    file tools/commands/<name>. `./lab`, `./lab --help` and `./lab <cmd> --help` are fine.
  * For `./lab test <suite> [filter] [options]`:
      - the suite exists: some CMakeLists.txt in the repository (build directories excluded)
        calls `lab_add_test(<suite> ...)` or defines a custom driver `add_executable(<suite>_tests`;
      - the filter, when given, selects at least one test of that suite. Test names and tags
        come from `LAB_TEST("Name", "[tags]")` and `TEST_CASE("Name", "[tags]")` in the files
        listed in that call (or, when the list uses CMake variables, every source file under
        the folder of that CMakeLists.txt). ./lab hands the filter to the Catch2 binary as it
        is, so it has Catch2's meaning: an exact test name (`TestFigure82C`), a wildcard
        (`TestSnapshot*`), a tag with its brackets (`'[2A]'`), or a combination (`'[2A],[2B]'`,
        `'[raft]~[2D]'`). A custom driver's tests are the rows `{"name", TestFunction}` of
        its test table. Each comma-separated alternative must select at least one test. A
        bare part such as `2A` is a test *name* for Catch2 and selects nothing: the checker
        says to write `'[2A]'` (see BARE_PART_IS_TAG below to change that if ./lab learns to
        expand parts). Names are compared exactly: stricter than Catch2, which ignores
        case, and than the MapReduce driver, which also accepts a part of a name.
      - the options are those listed under "Options:" in usage_test() of ./lab (that is,
        `./lab test --help`), plus --help; a metavariable N needs a non-negative integer and P
        a configure preset of CMakePresets.json. Words after a lone `--` go to the test binary
        and are not checked. Without a readable ./lab the list is --seed N, --runs N,
        --check-determinism, --preset P, --solution, --real.
  * Usage lines: a command that contains a `<placeholder>` or `...` (e.g.
    `./lab test <suite> [filter] [--seed N]`) describes a syntax, not a run; only its subcommand
    is checked.

Labs that do not exist yet ("pending")
  A note may describe a lab whose code has not landed yet. It declares this with an HTML comment
  anywhere in the same file:

      <!-- lab-pending: kvraft shardctrler shardkv -->

  A `./lab test` command whose suite is listed there AND does not exist yet is reported as a
  warning ("pending"), not an error; its options are still checked. Once the suite exists, its
  commands are checked in full and the marker is reported as stale (a warning: remove it).
  Suites not listed are never pending: a typo in a suite name is an error.

Checking the checker's view of the tests
  With --build-dir DIR, each suite whose binary DIR/bin/<suite>_tests exists is asked for its
  tests (Catch2: --list-test-names-only; the MapReduce driver: --list). A test found in the
  sources but not listed by the binary is an error, since a doc could then name a test that
  never runs; a listed test the scan missed is a warning. The selftest step passes the debug
  build (LAB_BUILD_DIR).

Usage
  tools/check_doc_commands.py [--root DIR] [--build-dir DIR] [--quiet | --verbose] [FILE.md ...]
  Without FILE arguments it reads README.md and docs/**/*.md under the root (default: the
  repository holding this script). Prints one line per failure as `file:line: error: ...`,
  one per file with pending commands and one per stale marker as `file:line: warning: ...`
  (--verbose: one per pending command; --quiet: no warnings), then a summary.
  Exit status: 0 when no command fails (warnings allowed), 1 when one does, 2 on bad usage.

Tests: tools/tests/test_check_doc_commands.py (run by tools/selftest.d/80-doc-commands.sh).
Only the Python 3 standard library is used.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

BUILTIN_SUBCOMMANDS = ("build", "test", "bench", "selftest", "deps", "help")
# Options of `./lab test` when the lab script cannot be read: name -> kind of value ("int",
# "preset", "any", or None for a flag). Normally they come from the "Options:" section of
# usage_test() in ./lab, so the check follows the script; metavariable N means an integer and P
# a preset.
FALLBACK_TEST_OPTIONS = {
    "--seed": "int",
    "--runs": "int",
    "--check-determinism": None,
    "--preset": "preset",
    "--solution": None,
    "--real": None,
}
ALWAYS_TEST_OPTIONS = {"--help": None, "-h": None}
METAVAR_KINDS = {"N": "int", "P": "preset"}
# ./lab test passes the filter to the test binary unchanged, so a bare part such as `2A` is a
# Catch2 test *name* and selects nothing. If ./lab ever turns a bare part into its tag ([2A]),
# set this to True: a bare word that is a tag of the suite is then accepted.
BARE_PART_IS_TAG = True
SKIPPED_DIRS = {".git", ".cache", "node_modules", "_deps", "__pycache__"}
SOURCE_SUFFIXES = {".cpp", ".cc", ".cxx", ".h", ".hpp"}

PENDING_RE = re.compile(r"<!--\s*lab-pending:\s*([^>]*?)\s*-->")
SUITE_CALL_RE = re.compile(r"\blab_add_test\s*\(\s*([A-Za-z0-9_.-]+)")
DRIVER_RE = re.compile(r"\badd_executable\s*\(\s*([A-Za-z0-9_.-]+)_tests\b")
TEST_DECL_RE = re.compile(
    r'\b(?:LAB_TEST|TEST_CASE)\s*\(\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*"((?:[^"\\]|\\.)*)")?')
# A custom driver (add_executable(<suite>_tests), not Catch2) lists its tests as table rows
# {"name", TestFunction}, e.g. mapreduce/tests/mr_tests.cpp.
TABLE_ROW_RE = re.compile(r'\{\s*"((?:[^"\\]|\\.)+)"\s*,\s*&?Test\w*\s*\}')
TAG_RE = re.compile(r"\[([^\]]+)\]")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE_RE = re.compile(r"(`+)(.+?)\1")
# A redirection; `<` only when a space follows, so that a `<placeholder>` is not one.
REDIRECT_RE = re.compile(r"(?<!\S)\d*(?:(?:>>|>&|&>|>)\s*|<\s+)\S+")
ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


# ------------------------------------------------------------------------------------------
# Repository model: suites, their tests and tags, subcommands, presets.

@dataclasses.dataclass
class Suite:
    name: str
    cmake_file: Path
    catch2: bool = True  # False for a custom driver (add_executable(<suite>_tests))
    tests: dict[str, set[str]] = dataclasses.field(default_factory=dict)  # name -> tags (lower)

    def tags(self) -> set[str]:
        return set().union(*self.tests.values()) if self.tests else set()


def _walk(root: Path):
    """Yields (dirpath, filenames) under root, skipping hidden, build and vendored folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in SKIPPED_DIRS and not d.startswith(".") and not d.startswith("build")
            and not (Path(dirpath) / d / "CMakeCache.txt").exists())
        yield Path(dirpath), filenames


def _call_body(text: str, start: int) -> str:
    """The text of a CMake call from its '(' at or after start to the matching ')'."""
    open_pos = text.index("(", start)
    depth = 0
    for i in range(open_pos, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[open_pos + 1:i]
    return text[open_pos + 1:]


def _listed_sources(call: str, base: Path, is_lab_test: bool) -> tuple[list[Path], bool]:
    """The source files named in a lab_add_test/add_executable call, and whether the list is
    complete (False when it uses CMake variables or generator expressions)."""
    words = call.split()[1:]  # drop the suite or target name
    if is_lab_test:
        keep, in_sources = [], False
        for w in words:
            if w in ("SOURCES", "LIBS", "TIMEOUT"):
                in_sources = w == "SOURCES"
            elif in_sources:
                keep.append(w)
        words = keep
    words = [w.strip('"') for w in words if w not in ("EXCLUDE_FROM_ALL", "WIN32", "MACOSX_BUNDLE")]
    complete = bool(words) and not any("$" in w for w in words)
    files = [(base / w).resolve() for w in words if "$" not in w]
    return [f for f in files if f.is_file()], complete


def _scan_tests(files, table_rows: bool) -> dict[str, set[str]]:
    """Test name -> tags, from LAB_TEST/TEST_CASE (and, for custom drivers, table rows)."""
    tests: dict[str, set[str]] = {}
    for f in files:
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for m in TEST_DECL_RE.finditer(text):
            tags = {t.lower() for t in TAG_RE.findall(m.group(2) or "")}
            tests.setdefault(m.group(1), set()).update(tags)
        if table_rows:
            for m in TABLE_ROW_RE.finditer(text):
                tests.setdefault(m.group(1), set())
    return tests


def find_suites(root: Path) -> dict[str, Suite]:
    suites: dict[str, Suite] = {}
    for dirpath, filenames in _walk(root):
        if "CMakeLists.txt" not in filenames:
            continue
        cmake_file = dirpath / "CMakeLists.txt"
        text = cmake_file.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"#[^\n]*", "", text)  # CMake comments
        found = [(m, True) for m in SUITE_CALL_RE.finditer(text)]
        found += [(m, False) for m in DRIVER_RE.finditer(text)]
        for m, is_lab_test in found:
            name = m.group(1)
            files, complete = _listed_sources(_call_body(text, m.start()), dirpath, is_lab_test)
            if not complete:  # fall back to every source file under the CMakeLists.txt
                files += [p for d, fs in _walk(dirpath) for p in (d / f for f in fs)
                          if p.suffix in SOURCE_SUFFIXES]
            suite = suites.setdefault(name, Suite(name, cmake_file, is_lab_test))
            for test, tags in _scan_tests(sorted(set(files)), not is_lab_test).items():
                suite.tests.setdefault(test, set()).update(tags)
    return suites


def find_subcommands(root: Path) -> set[str]:
    names = set(BUILTIN_SUBCOMMANDS)
    commands = root / "tools" / "commands"
    if commands.is_dir():
        # As ./lab's is_extension(): an executable file with a lower-case name.
        names.update(p.name for p in commands.iterdir()
                     if re.fullmatch(r"[a-z][a-z0-9_-]*", p.name) and p.is_file()
                     and os.access(p, os.X_OK))
    return names


def find_test_options(root: Path) -> dict[str, str | None]:
    """The options of `./lab test`, read from the Options: list of usage_test() in ./lab."""
    try:
        script = (root / "lab").read_text(encoding="utf-8")
        usage = script[script.index("usage_test()"):]
        usage = usage[usage.index("Options:"):]
        usage = usage[:usage.index("\nEOF")]
    except (OSError, ValueError):
        return {**FALLBACK_TEST_OPTIONS, **ALWAYS_TEST_OPTIONS}
    options = dict(ALWAYS_TEST_OPTIONS)
    # An option starts a line indented by a few spaces; deeper lines continue a description.
    for m in re.finditer(r"^ {1,6}(--[a-z][a-z0-9-]*)(?: ([A-Z][A-Z_]*)\b)?", usage, re.M):
        options[m.group(1)] = METAVAR_KINDS.get(m.group(2), "any") if m.group(2) else None
    return options


def find_presets(root: Path) -> set[str]:
    try:
        data = json.loads((root / "CMakePresets.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {p["name"] for p in data.get("configurePresets", []) if not p.get("hidden")}


@dataclasses.dataclass
class Repo:
    root: Path
    suites: dict[str, Suite]
    subcommands: set[str]
    presets: set[str]
    test_options: dict[str, str | None]

    @classmethod
    def load(cls, root: Path) -> "Repo":
        return cls(root, find_suites(root), find_subcommands(root), find_presets(root),
                   find_test_options(root))


# ------------------------------------------------------------------------------------------
# Extraction of commands from Markdown.

@dataclasses.dataclass
class Command:
    file: Path
    line: int          # where the command starts
    args: list[str]    # the words after ./lab

    def shown(self) -> str:
        """The command alone, without the rest of its line (comments, pipes)."""
        return shlex.join(["./lab", *self.args])


def _strip_html_comments(lines: list[str]) -> list[str]:
    """Blanks out <!-- ... --> regions, keeping line numbers."""
    text = "\n".join(lines)
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text,
                  flags=re.S)
    return text.split("\n")


def _lab_invocations(shell_line: str) -> list[list[str]]:
    """The argument lists of every ./lab run in one line of shell."""
    line = REDIRECT_RE.sub(" ", shell_line.strip())
    if line.startswith("$ "):
        line = line[2:]
    try:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: take the words as they are
        tokens = line.split()
    out, segment = [], []
    for tok in tokens + [";"]:
        if tok and all(c in ";&|()" for c in tok):
            while segment and (ASSIGNMENT_RE.match(segment[0]) or segment[0] in ("env", "time")):
                segment.pop(0)
            if segment and segment[0] == "./lab":
                out.append(segment[1:])
            segment = []
        else:
            segment.append(tok)
    return out


def extract_commands(path: Path, text: str) -> list[Command]:
    commands: list[Command] = []
    lines = _strip_html_comments(text.split("\n"))
    fence = None  # the opening fence while inside a fenced block
    pending_text, pending_line = "", 0
    for number, line in enumerate(lines, start=1):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                fence = None
                continue
            if not pending_text:
                pending_line = number
            if line.rstrip().endswith("\\"):
                pending_text += line.rstrip()[:-1] + " "
                continue
            logical, pending_text = pending_text + line, ""
            if "./lab" in logical:
                for args in _lab_invocations(logical):
                    commands.append(Command(path, pending_line, args))
            continue
        for span in INLINE_CODE_RE.finditer(line):
            code = span.group(2).strip()
            if "./lab" in code:
                for args in _lab_invocations(code):
                    commands.append(Command(path, number, args))
    return commands


def pending_suites(text: str) -> tuple[set[str], int]:
    """Suites declared pending in a file, and the line of the first marker (0 if none)."""
    names, first_line = set(), 0
    for m in PENDING_RE.finditer(text):
        names.update(m.group(1).replace(",", " ").split())
        if not first_line:
            first_line = text.count("\n", 0, m.start()) + 1
    return names, first_line


# ------------------------------------------------------------------------------------------
# Checking one command.

class CheckError(Exception):
    pass


class Pending(Exception):
    def __init__(self, suite: str):
        super().__init__(f"suite '{suite}' is pending (lab not in the repository yet)")
        self.suite = suite


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""


def _is_usage_line(args: list[str]) -> bool:
    return any(re.search(r"<[^>]+>", a) or "..." in a for a in args)


def _split_alternatives(spec: str) -> list[str]:
    """Splits a Catch test spec at commas that are outside brackets and quotes."""
    parts, depth, quoted, cur = [], 0, False, ""
    for c in spec:
        if c == '"':
            quoted = not quoted
        elif not quoted and c == "[":
            depth += 1
        elif not quoted and c == "]":
            depth -= 1
        if c == "," and depth == 0 and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    return parts


def _alternative_terms(alt: str) -> list[tuple[bool, str, str]]:
    """Parses one alternative into (negated, kind, value) terms; kind is 'tag' or 'name'."""
    terms, i = [], 0
    while i < len(alt):
        negated = False
        if alt.startswith("exclude:", i):
            negated, i = True, i + len("exclude:")
        elif alt[i] == "~":
            negated, i = True, i + 1
        if i < len(alt) and alt[i] == "[":
            end = alt.find("]", i)
            if end < 0:
                raise CheckError(f"unclosed '[' in filter '{alt}'")
            terms.append((negated, "tag", alt[i + 1:end].lower()))
            i = end + 1
        elif i < len(alt) and alt[i] == '"':
            end = alt.find('"', i + 1)
            end = len(alt) if end < 0 else end
            terms.append((negated, "name", alt[i + 1:end]))
            i = end + 1
        else:
            end = i
            while end < len(alt) and alt[end] not in "[~":
                end += 1
            name = alt[i:end].strip()
            if name:
                terms.append((negated, "name", name))
            i = max(end, i + 1) if not name else end
    return terms


def _term_matches(kind: str, value: str, test: str, tags: set[str]) -> bool:
    if kind == "tag":
        return value in tags
    return fnmatch.fnmatchcase(test, value) if "*" in value else test == value


def check_filter(suite: Suite, spec: str) -> None:
    """Raises CheckError unless every alternative of spec selects a test of suite.

    ./lab test hands the filter to the Catch2 binary unchanged, so it has Catch2's meaning: a
    bare word is a test name (with optional * wildcards), a tag needs its brackets."""
    for alt in _split_alternatives(spec):
        terms = _alternative_terms(alt.strip())
        if not terms:
            raise CheckError(f"empty alternative in filter '{spec}'")
        selected = [t for t, tags in suite.tests.items()
                    if all(_term_matches(k, v, t, tags) != neg for neg, k, v in terms)]
        if selected:
            continue
        if len(terms) == 1 and terms[0][:2] == (False, "name"):
            name = terms[0][2]
            if name.lower() in suite.tags() and BARE_PART_IS_TAG:
                continue
            if name.lower() in suite.tags():
                raise CheckError(f"'{name}' is a tag of suite '{suite.name}', not a test name: "
                                 f"write '[{name}]' (quoted, so the shell leaves it alone)")
            raise CheckError(f"no test named '{name}' in suite '{suite.name}'"
                             f"{_hint(name, suite.tests)}")
        raise CheckError(f"filter part '{alt.strip()}' selects no test of suite "
                         f"'{suite.name}' (tags: {', '.join(sorted(suite.tags())) or 'none'})")


def _check_options(options: list[tuple[str, str | None]], repo: Repo) -> None:
    for name, value in options:
        kind = repo.test_options[name]
        if kind == "int" and (value is None or not value.isdigit()):
            raise CheckError(f"{name} needs a non-negative integer, got '{value or ''}'")
        if kind == "any" and value is None:
            raise CheckError(f"{name} needs a value")
        if kind == "preset" and repo.presets and value not in repo.presets:
            raise CheckError(f"--preset '{value or ''}' is not a configure preset of "
                             f"CMakePresets.json ({', '.join(sorted(repo.presets))})")


def _parse_test_args(args: list[str], repo: Repo):
    """Splits the words after `./lab test` into positionals and (option, value) pairs; the
    words after a lone `--` go to the test binary and are not checked."""
    positionals, options, i = [], [], 0
    known = repo.test_options
    while i < len(args):
        a = args[i]
        if a == "--":
            break
        if a.startswith("-"):
            name, eq, value = a.partition("=")
            if name not in known:
                raise CheckError(f"unknown option '{name}' for ./lab test (allowed: "
                                 f"{', '.join(o for o in known if o != '-h')})")
            if known[name] is not None and not eq:
                value = args[i + 1] if i + 1 < len(args) else None
                i += 1
            elif known[name] is None and eq:
                raise CheckError(f"option {name} takes no value")
            options.append((name, value if known[name] else None))
        else:
            positionals.append(a)
        i += 1
    return positionals, options


def check_command(cmd: Command, repo: Repo, pending: set[str]) -> None:
    """Raises CheckError if cmd is wrong, Pending if it names a declared pending suite."""
    args = cmd.args
    if not args or args[0] in ("--help", "-h"):
        return
    sub = args[0]
    if sub not in repo.subcommands:
        raise CheckError(f"unknown subcommand '{sub}' (have: "
                         f"{', '.join(sorted(repo.subcommands))}){_hint(sub, repo.subcommands)}")
    if sub != "test" or _is_usage_line(args):
        return
    positionals, options = _parse_test_args(args[1:], repo)
    _check_options(options, repo)
    if not positionals:
        if any(name in ("--help", "-h") for name, _ in options):
            return
        raise CheckError("./lab test needs a suite")
    if len(positionals) > 2:
        raise CheckError(f"too many arguments: {' '.join(positionals[2:])} "
                         "(quote a test name that contains spaces)")
    suite_name = positionals[0]
    suite = repo.suites.get(suite_name)
    if suite is None:
        if suite_name in pending:
            raise Pending(suite_name)
        raise CheckError(f"unknown suite '{suite_name}' (suites: "
                         f"{', '.join(sorted(repo.suites)) or 'none'})"
                         f"{_hint(suite_name, repo.suites)}")
    if len(positionals) == 2:
        check_filter(suite, positionals[1])


# ------------------------------------------------------------------------------------------
# Cross-check against built test binaries (optional: --build-dir).

def _listed_by_binary(binary: Path, suite: Suite) -> list[str]:
    """Test names the binary itself reports; raises OSError/SubprocessError on failure."""
    # Catch2: the spec "*" also lists hidden tests ([.tag]), and the exit status is the number
    # of tests listed, not an error; the lab's test main prints a "seed: N" line first. The
    # MapReduce driver has --list.
    argv = [str(binary), "--list-test-names-only", "*"] if suite.catch2 else [str(binary), "--list"]
    run = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if run.returncode < 0 or (run.returncode != 0 and not suite.catch2):
        raise subprocess.SubprocessError(f"{' '.join(argv)} exited with {run.returncode}: "
                                         f"{run.stderr.strip()[:200]}")
    names = [line.strip() for line in run.stdout.splitlines() if line.strip()]
    return [n for n in names if not re.fullmatch(r"seed: \d+", n)]


def cross_check(repo: Repo, build_dir: Path) -> tuple[list[str], list[str]]:
    """Compares the tests found in the sources with those that build_dir/bin/<suite>_tests
    lists. A test seen in the sources but missing from the binary is an error (a doc could
    name a test that does not run); the reverse is a warning (the scan missed a test)."""
    errors, warnings = [], []
    for suite in sorted(repo.suites.values(), key=lambda s: s.name):
        binary = build_dir / "bin" / f"{suite.name}_tests"
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            continue
        try:
            listed = set(_listed_by_binary(binary, suite))
        except (OSError, subprocess.SubprocessError) as e:
            warnings.append(f"{binary}: warning: cannot list its tests ({e})")
            continue
        for name in sorted(set(suite.tests) - listed):
            errors.append(f"{suite.cmake_file.relative_to(repo.root)}: error: test '{name}' of "
                          f"suite '{suite.name}' is in the sources but not in {binary.name}")
        for name in sorted(listed - set(suite.tests)):
            warnings.append(f"{suite.cmake_file.relative_to(repo.root)}: warning: {binary.name} "
                            f"has test '{name}', which the source scan did not find")
    return errors, warnings


# ------------------------------------------------------------------------------------------
# Driver.

def default_files(root: Path) -> list[Path]:
    files = [root / "README.md"] if (root / "README.md").is_file() else []
    docs = root / "docs"
    if docs.is_dir():
        files += sorted(p for d, fs in _walk(docs) for p in (d / f for f in fs)
                        if p.suffix == ".md")
    return files


@dataclasses.dataclass
class Report:
    checked: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    pending: dict[str, int] = dataclasses.field(default_factory=dict)  # suite -> commands
    pending_lines: list[str] = dataclasses.field(default_factory=list)  # one per command


def check_files(files: list[Path], repo: Repo) -> Report:
    report = Report()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        shown = os.path.relpath(path, repo.root) if path.is_absolute() else str(path)
        pending, marker_line = pending_suites(text)
        for name in sorted(pending & set(repo.suites)):
            report.warnings.append(f"{shown}:{marker_line}: warning: suite '{name}' exists now; "
                                   f"remove it from the lab-pending marker")
        file_pending: dict[str, int] = {}
        for cmd in extract_commands(path, text):
            report.checked += 1
            where = f"{shown}:{cmd.line}"
            try:
                check_command(cmd, repo, pending)
            except Pending as p:
                file_pending[p.suite] = file_pending.get(p.suite, 0) + 1
                report.pending[p.suite] = report.pending.get(p.suite, 0) + 1
                report.pending_lines.append(f"{where}: warning: {cmd.shown()}: {p}")
            except CheckError as e:
                report.errors.append(f"{where}: error: {cmd.shown()}: {e}")
        if file_pending:
            report.warnings.append(
                f"{shown}:{marker_line}: warning: {sum(file_pending.values())} commands of "
                f"pending suites ({', '.join(sorted(file_pending))}) not checked in full")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check the ./lab commands written in README.md and docs/**/*.md.")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="repository root (default: the one holding this script)")
    parser.add_argument("--quiet", action="store_true", help="do not print warnings")
    parser.add_argument("--verbose", action="store_true",
                        help="also list each command of a pending suite")
    parser.add_argument("--build-dir", type=Path,
                        help="also compare the tests found in the sources with what each built "
                             "<build-dir>/bin/<suite>_tests lists")
    parser.add_argument("files", nargs="*", type=Path, help="Markdown files (default: all)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    repo = Repo.load(root)
    files = [f.resolve() for f in args.files] or default_files(root)
    report = check_files(files, repo)
    if args.build_dir:
        errors, warnings = cross_check(repo, args.build_dir.resolve())
        report.errors += errors
        report.warnings += warnings
    for line in report.errors:
        print(line)
    if not args.quiet:
        for line in report.warnings + (report.pending_lines if args.verbose else []):
            print(line)
    pending = ", ".join(f"{s} ({n})" for s, n in sorted(report.pending.items())) or "none"
    print(f"check_doc_commands: {report.checked} ./lab commands in {len(files)} files: "
          f"{len(report.errors)} failed, {sum(report.pending.values())} pending "
          f"[{pending}]; suites found: {', '.join(sorted(repo.suites)) or 'none'}")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
