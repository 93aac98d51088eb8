"""Runs a plan: up to `jobs` test processes at a time, each under its limits.

The scheduler is one thread with one select() loop over every running process's completion
channel and exit notification. One thread keeps it simple to reason about, and it is also what
makes process.py's preexec_fn safe.

Per run it enforces the manifest's run_seconds (kill the process group, "timed out"). For the
whole session it enforces a wall-clock budget: once spent, running processes are killed and
the rest of the plan is marked not run, so a grading job always ends with a report (a
Gradescope job killed from outside would report nothing). Ctrl-C does the same and marks the
session interrupted.

Each run executes in its own empty working directory, so runs in parallel cannot trip over
each other's files; LAB_ROOT tells a test where the repository is.

Hidden tests run from a binary of their own, and only after every run of a public test has
ended: a student's code in a hidden run can read the hidden tests (they share its process), so
nothing it leaves behind may reach a run whose output the student sees. Their failures keep a
private reason (verdict.private_reason) and no log tail.

Isolated (isolation.py: the grader is root and was given the grading users), each run takes a
free run user, a working directory that user owns and a minimal environment; when it ends,
every process of that user is killed before the user serves another run, and the hidden runs
alone get the group that may execute the hidden binary.
"""

import collections
import os
import selectors
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import isolation
from .process import TestProcess
from .results import FAILED, NOT_RUN, PASSED, RunResult, replay_command
from .verdict import judge, private_reason

_TICK_SECONDS = 0.5          # progress refresh when nothing happens
_POLL_SECONDS = 0.05         # exit polling when the kernel has no pidfds
_LOG_READ_BYTES = 256 * 1024  # how much of a log's end is read to explain a failure
_LOG_TAIL_LINES = 40


@dataclass(frozen=True)
class LabBinaries:
    visible: object          # Path of the public tests' binary
    hidden: object = None    # Path of the hidden tests' binary, None if there is none
    hidden_missing: str = ""  # when hidden is None but hidden tests must run: why (they fail)


@dataclass
class SessionOutcome:
    results: list            # one RunResult per planned run, in plan order
    interrupted: bool        # Ctrl-C
    budget_exhausted: bool   # the session's wall-clock budget ran out


class Scheduler:
    def __init__(self, plan, binaries, jobs, log_dir, budget_seconds, extra_args, progress,
                 root, users=None):
        self.plan = plan
        self.binaries = binaries            # lab -> LabBinaries
        self.jobs = max(1, jobs)
        self.log_dir = log_dir
        self.budget_seconds = budget_seconds
        self.extra_args = list(extra_args)
        self.progress = progress
        self.env = dict(os.environ, LAB_ROOT=str(root))
        self.users = users                  # isolation.Users, or None: run as ourselves
        self._free_users = list(users.runs) if users else []
        if users:
            self.jobs = min(self.jobs, len(self._free_users))
        self._selector = selectors.DefaultSelector()
        self._running = {}                  # TestProcess -> (PlannedRun, working dir)
        self._watched = {}                  # TestProcess -> fds registered with the selector
        self._results = {}                  # plan index -> RunResult
        self._index = {id(run): i for i, run in enumerate(plan)}

    def run(self):
        # Public tests first; the hidden ones after (see the module comment).
        pending = collections.deque(sorted(self.plan, key=lambda r: r.test.hidden))
        start = time.monotonic()
        interrupted = budget_exhausted = False
        # Ctrl-C only sets a flag, so that no run is left half started or half recorded; the
        # loop notices it within _TICK_SECONDS. A second Ctrl-C stops the grader at once.
        self._stop_requested = False
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        try:
            while pending or self._running:
                if self._stop_requested:
                    interrupted = True
                    self._stop_all(pending, "not run: interrupted (Ctrl-C)")
                    break
                if time.monotonic() - start > self.budget_seconds:
                    budget_exhausted = True
                    self._stop_all(pending, f"not run: the session's time budget of "
                                            f"{self.budget_seconds:g} s ran out")
                    break
                while (pending and len(self._running) < self.jobs
                       and self._may_start(pending[0])):
                    self._start(pending.popleft())
                self._wait_for_events()
                self._reap()
                self.progress.tick()
        finally:
            signal.signal(signal.SIGINT, previous)
            self._selector.close()
        results = [self._results[i] for i in range(len(self.plan))]
        return SessionOutcome(results, interrupted, budget_exhausted)

    def _on_sigint(self, signum, frame):
        self._stop_requested = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    # --- starting and watching runs -------------------------------------------------------

    def _may_start(self, planned):
        """A hidden run starts only once no public run is left running."""
        if not planned.test.hidden:
            return True
        if any(not p.test.hidden for p, _ in self._running.values()):
            return False
        if self.users and not self._hidden_phase:
            self._hidden_phase = True
            for identity in self.users.runs:   # nothing of the public runs survives
                isolation.kill_user(identity)
            isolation.reap_children(keep=self._running_pids())
        return True

    _hidden_phase = False

    def _start(self, planned):
        m = planned.manifest
        binaries = self.binaries[m.lab]
        binary = binaries.hidden if planned.test.hidden else binaries.visible
        if binary is None:
            self._record(planned, RunResult(
                lab=m.lab, test=planned.test.name, run_index=planned.run_index,
                seed=planned.seed, status=FAILED, reason=f"not run: {binaries.hidden_missing}"))
            return
        strategy = ["--strategy", planned.test.strategy] if planned.test.strategy != "random" \
            else []
        argv = ([str(binary), planned.test.name, "--seed", str(planned.seed)] + strategy
                + list(m.test_args) + self.extra_args)
        workdir = tempfile.mkdtemp(prefix="run-", dir=self.log_dir)
        identity, env, groups = None, self.env, ()
        if self.users:
            identity = self._free_users.pop()
            os.chown(workdir, identity.uid, identity.gid)
            env = isolation.environment(workdir)
            groups = [self.users.hidden_gid] if planned.test.hidden else []
        if not planned.test.hidden:
            # A failing visible run leaves its timeline page in its working directory; the
            # grader keeps it next to the log (_keep_timeline). Hidden tests show nothing.
            env = dict(env, LAB_TIMELINE_ON_FAILURE="1", LAB_ARTIFACT_DIR=workdir)
        proc = TestProcess(argv, self._log_path(planned), m.limits, cwd=workdir, env=env,
                           identity=identity, extra_gids=groups)
        self._running[proc] = (planned, workdir)
        self._watched[proc] = set(proc.fds())
        for fd in self._watched[proc]:
            self._selector.register(fd, selectors.EVENT_READ, proc)
        self.progress.started(planned)

    def _wait_for_events(self):
        now = time.monotonic()
        timeout = _TICK_SECONDS
        for proc in self._running:
            timeout = min(timeout, max(0.0, proc.deadline - now))
            if len(proc.fds()) == 1:            # no pidfd: poll for the exit
                timeout = min(timeout, _POLL_SECONDS)
        for key, _ in self._selector.select(timeout):
            if not key.data.on_readable(key.fd):
                self._selector.unregister(key.fd)
                self._watched[key.data].discard(key.fd)

    def _reap(self):
        now = time.monotonic()
        for proc in list(self._running):
            if now > proc.deadline and not proc.killed_reason:
                proc.kill("timeout")
            if proc.killed_reason or proc.has_exited():
                self._complete(proc)

    def _stop_all(self, pending, reason):
        for proc in list(self._running):
            proc.kill("stopped")
            self._complete(proc, not_run_reason=reason)
        while pending:
            planned = pending.popleft()
            self._record(planned, RunResult(
                lab=planned.manifest.lab, test=planned.test.name, run_index=planned.run_index,
                seed=planned.seed, status=NOT_RUN, reason=reason))

    # --- finishing a run ------------------------------------------------------------------

    def _complete(self, proc, not_run_reason=None):
        planned, workdir = self._running.pop(proc)
        for fd in self._watched.pop(proc):
            self._selector.unregister(fd)
        returncode, seconds = proc.finish()
        if proc.identity is not None:
            self._free_users.append(proc.identity)
        isolation.reap_children(keep=self._running_pids())
        m = planned.manifest
        hidden = planned.test.hidden
        log_path = self._log_path(planned)
        timeline = None if hidden else _keep_timeline(workdir, log_path)
        shutil.rmtree(workdir, ignore_errors=True)
        binary_name = m.hidden_target if hidden else m.binary_name
        suite = f"{m.suite}_hidden" if hidden else m.suite     # ./lab test <suite>
        replay = replay_command(suite, planned.test.name, planned.seed, planned.test.strategy)
        hint, virtual = "", None
        if not_run_reason is not None:
            status, reason = NOT_RUN, not_run_reason
        else:
            log_text = _read_end(log_path)
            verdict = judge(planned.test.name, binary_name, returncode, proc.timed_out,
                            m.limits.run_seconds, lambda: proc.channel.record(planned.seed),
                            log_text, m.limits.memory_mb)
            status, reason = (PASSED, "") if verdict.passed else (FAILED, verdict.reason)
            hint, virtual = verdict.hint, verdict.virtual_seconds
        kept_log, tail = "", ""
        if timeline is not None and status != FAILED:
            timeline.unlink(missing_ok=True)
            timeline = None
        if status == PASSED:
            log_path.unlink(missing_ok=True)
        else:
            # The cause first; what to do next on lines of their own. The log keeps the
            # full reason, for the course staff.
            _append(log_path, f"\n--- grader verdict: {reason}\n"
                    + (f"--- timeline: {timeline}\n" if timeline else "")
                    + f"--- replay: {replay}\n" + (f"--- {hint}\n" if hint else ""))
            kept_log = str(log_path)
            if hidden:
                reason = reason if status == NOT_RUN else private_reason(verdict)
            else:
                tail = _tail(_read_end(log_path))
        if hidden:   # nothing the run chose: no hint from its log, no clock from its record
            hint, virtual = "", None
        self._record(planned, RunResult(
            lab=m.lab, test=planned.test.name, run_index=planned.run_index, seed=planned.seed,
            status=status, reason=reason, hint=hint, seconds=round(seconds, 3),
            virtual_seconds=None if virtual is None else round(virtual, 3), log=kept_log,
            log_tail=tail, replay=replay, timeline=str(timeline) if timeline else ""))

    def _running_pids(self):
        return {proc.pid for proc in self._running}

    def _record(self, planned, result):
        self._results[self._index[id(planned)]] = result
        self.progress.finished(planned, result)

    def _log_path(self, planned):
        name = planned.test.name.replace(" ", "_").replace("/", "_")
        return self.log_dir / (f"{planned.manifest.lab}-{name}-run{planned.run_index + 1}"
                               f"-seed{planned.seed}.log")


# A timeline page larger than this is not kept (the run's file-size limit bounds it anyway).
_TIMELINE_MAX_BYTES = 256 * 1024 * 1024


def _keep_timeline(workdir, log_path):
    """Moves the timeline page a failing run wrote into its working directory (the test main
    names it <suite>-<test>-seed<N>-timeline.html) next to the run's log, as
    <log name>.timeline.html, and returns its new path; None when there is none. Only a
    regular file of the run's own is taken: a symbolic link could point anywhere."""
    try:
        candidates = sorted(p for p in Path(workdir).glob("*-timeline.html")
                            if p.is_file() and not p.is_symlink())
    except OSError:
        return None
    if not candidates or candidates[0].stat().st_size > _TIMELINE_MAX_BYTES:
        return None
    kept = log_path.with_suffix(".timeline.html")
    try:
        shutil.move(str(candidates[0]), str(kept))
        os.chmod(kept, 0o600)
    except OSError:
        return None
    return kept


def _read_end(path):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - _LOG_READ_BYTES))
            return f.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _tail(text):
    return "\n".join(text.splitlines()[-_LOG_TAIL_LINES:])


def _append(path, text):
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError:
        pass
