"""`./lab grade`: build, plan, run, score, report.

    ./lab grade [lab|part|test ...] [--runs N] [-j N] [--seed S] [--solution] [--real]
                [--shard i/n] [--results FILE] [--junit FILE] [--isolate]

Steps, each in its own module: load the manifests (manifest.py), build the test binaries
(build.py), plan the runs and take this machine's shard (plan.py), run them (scheduler.py,
with process.py, channel.py and verdict.py per run), score (scoring.py), then print the table
(table.py) and write results.json (gradescope.py) and JUnit XML (junit.py).

A lab's hidden tests (grading/hidden/<suite>/) are built into a binary of their own,
bin/<suite>_hidden_tests, and run after the public ones. With --isolate (root only) every run
is a grading user's (isolation.py); run_autograder uses that, with the two binaries built in
two trees (--hidden-build-dir). Whatever a run leaves behind is killed before the reports are
written, and they are written from the grader's own results only.

Exit status: 0 full marks, 1 some test lost points (or the build failed), 2 bad command line
or manifest, 130 interrupted.
"""

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from . import build, gradescope, isolation, junit, table
from .manifest import ManifestError, load_all, load_manifest
from .plan import (SelectionError, make_plan, parse_shard, random_base_seed, select_tests,
                   take_shard)
from .progress import make_progress
from .scheduler import LabBinaries, Scheduler
from .scoring import score, total, without_hidden

EXIT_OK, EXIT_LOST_POINTS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
RESULTS_FORMAT = 1   # version of extra_data.grader, checked by merge


def add_arguments(parser):
    parser.add_argument("names", nargs="*", metavar="lab|part|test",
                        help="what to grade (default: every lab with student files)")
    parser.add_argument("--runs", type=int, metavar="N",
                        help="runs per test (default: the manifest's 'runs')")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="runs in parallel (default: number of CPUs)")
    parser.add_argument("--seed", type=int, metavar="S",
                        help="seed of the first run (run r uses S + r; default: random)")
    parser.add_argument("--solution", action="store_true",
                        help="grade the reference solutions (what full marks look like)")
    parser.add_argument("--real", action="store_true",
                        help="run on the real backend (OS threads, real clock)")
    parser.add_argument("--shard", metavar="i/n",
                        help="run only shard i of n of the runs (merge with ./lab merge-results)")
    parser.add_argument("--results", metavar="FILE", help="write Gradescope results.json")
    parser.add_argument("--junit", metavar="FILE", help="write JUnit XML")
    parser.add_argument("--logs", metavar="DIR",
                        help="where failing runs' logs go (default: build/grade-logs/<time>)")
    parser.add_argument("--build-dir", metavar="DIR",
                        help="use this configured build tree instead of build/<preset>")
    parser.add_argument("--binary", metavar="FILE",
                        help="run this test binary instead of the lab's (one lab only), e.g. "
                             "a mutant's, to see which tests catch it")
    parser.add_argument("--no-build", action="store_true",
                        help="use the binaries as they are (do not run the build)")
    parser.add_argument("--hidden-build-dir", metavar="DIR",
                        help="take the hidden tests' binaries from this build tree (the "
                             "autograder's); a hidden binary missing there fails its tests")
    parser.add_argument("--isolate", action="store_true",
                        help="run every test as an unprivileged grading user (root only; "
                             "grading/gradescope/setup.sh creates the users)")
    parser.add_argument("--manifest", action="append", metavar="FILE",
                        help="grade with this manifest instead of labs/*.json (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def run(args, root, users=None):
    """The `grade` command. users: isolation.Users when the caller already holds
    isolation.sandbox_lock() (run_autograder); else --isolate takes the lock here."""
    if args.isolate and users is None:
        try:
            with isolation.sandbox_lock(sys.stderr):
                return run(args, root, isolation.Users())
        except isolation.IsolationError as e:
            return _usage_error(e)
    try:
        manifests = ([load_manifest(p) for p in args.manifest] if args.manifest
                     else load_all(root / "labs"))
        selected = select_tests(manifests, args.names)
        shard = parse_shard(args.shard) if args.shard else None
    except (ManifestError, SelectionError, ValueError) as e:
        return _usage_error(e)
    if (args.runs is not None and args.runs < 1) or args.jobs < 1:
        return _usage_error("--runs and -j must be at least 1")
    labs = _unique(m for m, _ in selected)
    if args.binary and len(labs) != 1:
        return _usage_error("--binary needs exactly one lab")
    missing = _missing_solutions(root, labs) if args.solution else []
    if missing:
        return _usage_error(f"--solution needs the reference solutions ({', '.join(missing)}), "
                            "which a student handout does not include")
    base_seed = args.seed if args.seed is not None else random_base_seed()
    grader_data = {"format": RESULTS_FORMAT, "base_seed": base_seed, "shard": shard,
                   "manifests": {m.lab: m.raw for m in labs}}

    # Build, then ask each binary which tests it holds (as a grading user when isolated:
    # listing runs the binary, so the student's static initializers).
    isolation.become_subreaper()
    hidden_wanted = {m.lab for m, t in selected if t.hidden}
    try:
        binaries = _build(args, root, labs, hidden_wanted)
        available, hidden_available = {}, {}
        lister = users.runs[0] if users else None
        for m in labs:
            available[m.lab] = build.list_tests(binaries[m.lab].visible, identity=lister)
            hidden = binaries[m.lab].hidden
            hidden_available[m.lab] = (build.list_tests(
                hidden, identity=lister, extra_gids=[users.hidden_gid] if users else [])
                if hidden else set())
    except build.BuildError as e:
        return _build_failed(args, e, selected, grader_data)
    if args.real and not _supports_real(binaries, available):
        return EXIT_USAGE

    notes = []
    selected = _drop_missing_hidden(selected, binaries, hidden_available, notes)
    full_plan = make_plan(selected, args.runs, base_seed)
    plan = take_shard(full_plan, *shard) if shard else full_plan
    grader_data["plan"] = [list(run.key) for run in full_plan]
    grader_data["plan_id"] = _plan_id(full_plan)
    return _session(args, root, labs, binaries, plan, full_plan, grader_data, notes, users)


def _session(args, root, labs, binaries, plan, full_plan, grader_data, notes, users):
    """Runs the plan, prints the report, writes the result files; returns the exit status."""
    log_dir = _log_dir(args, root)
    budget = sum(m.limits.total_seconds * max((args.runs or m.runs), 1) for m in labs)
    shard = grader_data["shard"]
    _print_header(plan, full_plan, shard, grader_data["base_seed"], args.jobs, log_dir)
    progress = make_progress(len(plan), quiet=args.quiet)
    started = time.monotonic()
    outcome = Scheduler(plan, binaries, args.jobs, log_dir, budget,
                        ["--real"] if args.real else [], progress, root, users).run()
    progress.close()
    elapsed = time.monotonic() - started
    _end_leftovers(users)

    scores = score(plan, outcome.results)
    if outcome.interrupted:
        notes.append("interrupted with Ctrl-C: the table shows the runs that finished")
    if outcome.budget_exhausted:
        notes.append(f"the session's time budget ({budget:g} s) ran out; the remaining runs "
                     "score zero")
    if shard:
        notes.append(f"this is shard {shard[0]}/{shard[1]}: combine all shards' --results "
                     "files with ./lab merge-results")
    print(table.render(scores, notes=notes), end="")
    _remove_if_empty(log_dir)

    grader_data["results"] = [_run_record(r, planned.test.hidden)
                              for planned, r in zip(plan, outcome.results)]
    if args.results:
        # Students see results.json's top-level output: leave the hidden tests out of it (their
        # own entries stay invisible until the grades are published).
        public = table.render(without_hidden(scores), notes=notes + _hidden_note(scores))
        gradescope.write(gradescope.results_document(scores, elapsed, public, grader_data),
                         args.results)
    if args.junit:
        junit.write(scores, args.junit)
    if outcome.interrupted:
        return EXIT_INTERRUPTED
    earned, possible = total(scores)
    return EXIT_OK if earned >= possible else EXIT_LOST_POINTS


def _end_leftovers(users):
    """Kills what the runs left behind, before anything is reported: as grading users, every
    process of theirs; otherwise the processes that left their run's process group and were
    reparented to the grader (isolation.become_subreaper)."""
    if users:
        for identity in users.runs:
            isolation.kill_user(identity)
        isolation.reap_children()
    else:
        isolation.reap_children(kill=True)


def _run_record(result, hidden):
    """A run for extra_data.grader. A hidden run's time is left out: the student's code
    chose it, and could spell the hidden test's content with it."""
    record = result.to_dict()
    if hidden:
        record["seconds"] = 0.0
    return record


def _supports_real(binaries, available):
    for lab, lab_binaries in binaries.items():
        binary = lab_binaries.visible
        if not build.supports_option(binary, "--real", next(iter(available[lab]), "")):
            _usage_error(f"--real: {binary.name} does not accept --real (the real backend is "
                         "not available in this build yet); grade without --real")
            return False
    return True


def _drop_missing_hidden(selected, binaries, hidden_available, notes):
    """Hidden tests exist only where grading/hidden/<suite>/ was built (never in a student's
    copy): skip those no hidden binary holds, with a note. Where a hidden binary was expected
    but is missing (hidden_missing: the autograder's did not build), they stay, and fail."""
    missing = [(m, t) for m, t in selected
               if t.hidden and t.name not in hidden_available[m.lab]
               and not binaries[m.lab].hidden_missing]
    if missing:
        notes.append(f"{len(missing)} hidden test(s) are not in this build and were skipped; "
                     "the course staff grade them")
    return [st for st in selected if st not in missing]


def _hidden_note(scores):
    hidden = sum(t.test.hidden for lab in scores for t in lab.tests)
    return [f"{hidden} hidden test(s) not shown here; their results appear when the grades "
            "are published"] if hidden else []


def _build(args, root, labs, hidden_wanted):
    """Builds the labs' binaries (the hidden ones too, for the labs in hidden_wanted whose
    grading/hidden/<suite>/ exists); returns {lab: LabBinaries}."""
    preset = "solution" if args.solution else "debug"
    build_dir = Path(args.build_dir).resolve() if args.build_dir else None
    hidden_labs = [m for m in labs if m.lab in hidden_wanted
                   and any((root / "grading" / "hidden" / m.suite).glob("*.cpp"))]
    if not args.no_build:
        targets = [m.build_target for m in labs] + [m.hidden_target for m in hidden_labs]
        build_dir = build.build(root, preset, _unique(targets), build_dir=build_dir,
                                jobs=args.jobs)
    build_dir = build_dir or root / "build" / preset
    binaries = {}
    for m in labs:
        visible = (Path(args.binary).resolve() if args.binary
                   else build.binary_path(build_dir, m))
        if not visible.is_file():
            raise build.BuildError(f"{visible} does not exist (was {m.lab} built?)", "")
        binaries[m.lab] = _hidden_binary(args, build_dir, m, visible)
    return binaries


def _hidden_binary(args, build_dir, manifest, visible):
    if args.hidden_build_dir:   # the autograder's: hidden tests must run, or fail
        path = Path(args.hidden_build_dir).resolve() / "bin" / manifest.hidden_target
        if path.is_file():
            return LabBinaries(visible, path)
        return LabBinaries(visible, None, "the hidden tests could not be built with this "
                                          "submission")
    path = Path(build_dir) / "bin" / manifest.hidden_target
    return LabBinaries(visible, path if path.is_file() and not args.binary else None)


def _build_failed(args, error, selected, grader_data):
    print(f"grade: {error}", file=sys.stderr)
    if args.results:
        message = (f"Your code did not build, so every test scores zero.\n{error}\n\n"
                   f"--- end of the build output ---\n{error.output}")
        gradescope.write(gradescope.zero_document(
            [(m.lab, t) for m, t in selected], message,
            "the code did not build (see the output at the top)", grader_data), args.results)
    return EXIT_LOST_POINTS


def _print_header(plan, full_plan, shard, base_seed, jobs, log_dir):
    tests = len({(r.manifest.lab, r.test.name) for r in plan})
    rounds = max((r.run_index + 1 for r in plan), default=0)
    where = f" (shard {shard[0]}/{shard[1]} of {len(full_plan)} runs)" if shard else ""
    print(f"grade: {len(plan)} run(s) of {tests} test(s){where}, seeds {base_seed}.."
          f"{base_seed + max(rounds - 1, 0)}, {jobs} at a time; failing runs keep their log "
          f"in {log_dir}", flush=True)


def _log_dir(args, root):
    if args.logs:
        path = Path(args.logs)
    else:
        path = root / "build" / "grade-logs" / time.strftime("%Y%m%d-%H%M%S")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _remove_if_empty(path):
    try:
        path.rmdir()
    except OSError:
        pass


def _plan_id(plan):
    """Identifies a plan independently of seeds, so shards can check they belong together."""
    keys = json.dumps([list(r.key) for r in plan]).encode()
    return hashlib.sha256(keys).hexdigest()[:16]


def _missing_solutions(root, labs):
    """The solution folders (each student file's folder + solution/, e.g. raft/solution/ or
    shardkv/shardctrler/solution/) that graded labs with student files lack."""
    folders = _unique(Path(f).parent.as_posix() for m in labs for f in m.student_files)
    return [f"{f}/solution/" for f in folders if not (root / f / "solution").is_dir()]


def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _usage_error(error):
    print(f"grade: {error}", file=sys.stderr)
    return EXIT_USAGE
