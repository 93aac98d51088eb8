"""Command line: python3 -m grader <command> ... (./lab grade|merge-results|handout|submit call
this through tools/commands/). Each command lives in its own module; this file only parses
the command line and finds the repository root."""

import argparse
import os
import sys
from pathlib import Path

from . import explore, grade, handout, merge, submit
from .manifest import ManifestError, load_all

COMMANDS = {
    "grade": (grade, "build, run every selected test N times with distinct seeds, score"),
    "explore": (explore, "run tests over many seeds in parallel to find rare failures"),
    "merge-results": (merge, "combine the results.json files of shards into one"),
    "handout": (handout, "write the student distribution to a folder, build and check it"),
    "submit": (submit, "pack a lab's student files into a tarball with checksums"),
}


def repo_root():
    """LAB_ROOT when ./lab runs us, else the checkout this file belongs to."""
    env = os.environ.get("LAB_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parents[2]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./lab", description="Grading tools of the labs.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (module, summary) in COMMANDS.items():
        command = sub.add_parser(name, help=summary, description=module.__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(command)
    check = sub.add_parser("check-manifests", help="validate labs/*.json")
    check.add_argument("files", nargs="*", help="manifest files (default: labs/*.json)")
    args = parser.parse_args(argv)
    root = repo_root()
    if args.command == "check-manifests":
        return _check_manifests(root, args.files)
    try:
        return COMMANDS[args.command][0].run(args, root)
    except KeyboardInterrupt:   # before or after a session (during one, grade.py handles it)
        print(f"{args.command}: interrupted", file=sys.stderr)
        return 130


def _check_manifests(root, files):
    from .manifest import load_manifest
    try:
        manifests = [load_manifest(f) for f in files] if files else load_all(root / "labs")
    except ManifestError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for m in manifests:
        print(f"{m.source}: ok: {len(m.tests())} tests in {len(m.parts)} parts, "
              f"{m.max_points():g} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
