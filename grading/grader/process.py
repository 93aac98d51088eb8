"""One run of a test binary as a child process, fenced in by limits.

Each run gets:
  - its own session and process group, so a timeout kills the test and everything it
    started (mapreduce workers, say) with one killpg;
  - resource limits set in the child before exec: address space (runaway memory makes
    allocation fail instead of swapping the machine to death), file size (a test printing
    without end is stopped by SIGXFSZ instead of filling the disk), and no core files;
  - stdout and stderr in one log file (readable by the grader's user only), which the grader
    keeps only when the run fails;
  - a completion channel (channel.py), the only source of pass/fail.
When the grader isolates (isolation.py), the run also takes an unprivileged identity of its
own, and ending it means ending every process of that identity.

Exit is observed through a pidfd (Linux >= 5.3) so the scheduler can wait on exits and on
channel data with one select(); without pidfds it falls back to polling.
"""

import os
import resource
import signal
import subprocess
import time

from . import isolation
from .channel import CompletionChannel

_MIB = 1024 * 1024


def _limit_resources(memory_mb, output_mb):
    """Returns the function the child runs between fork and exec.

    subprocess documents preexec_fn as unsafe when the parent has other threads (a lock held
    by another thread at fork time stays locked in the child). The scheduler is single-
    threaded on purpose, so this is safe here.
    """
    def apply():
        if memory_mb > 0:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * _MIB, memory_mb * _MIB))
        if output_mb > 0:
            resource.setrlimit(resource.RLIMIT_FSIZE, (output_mb * _MIB, output_mb * _MIB))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


class TestProcess:
    """A started run. The scheduler waits on fds(), calls on_readable(), and once has_exited()
    (or the deadline passed and it called kill()) calls finish() exactly once."""

    def __init__(self, argv, log_path, limits, cwd=None, env=None, identity=None,
                 extra_gids=()):
        """identity: None to run as the grader's own user, or an isolation.Identity to run
        as (with the supplementary groups extra_gids and the manifest's process limit)."""
        self.channel = CompletionChannel()
        self.timed_out = False
        self.killed_reason = ""
        self.identity = identity
        if identity is None:
            spawn = {"start_new_session": True,
                     "preexec_fn": _limit_resources(limits.memory_mb, limits.output_mb)}
        else:
            spawn = isolation.popen_kwargs(
                identity, isolation.Limits(limits.processes, limits.memory_mb,
                                           limits.output_mb), extra_gids)
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as log:
            log.write(("$ " + " ".join(argv) + "\n").encode())
            log.flush()
            self._popen = subprocess.Popen(
                argv + self.channel.child_args(),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                pass_fds=self.channel.pass_fds(), cwd=cwd, env=env, **spawn)
        self.channel.child_started()
        self.pid = self._popen.pid
        self.started = time.monotonic()
        self.deadline = self.started + limits.run_seconds
        try:
            self._exit_fd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            self._exit_fd = -1

    def fds(self):
        """File descriptors that become readable when there is something to do."""
        fds = [self.channel.read_fd]
        if self._exit_fd >= 0:
            fds.append(self._exit_fd)
        return fds

    def on_readable(self, fd):
        """Handles a readable fd. Returns False when fd has nothing more to say (the channel
        reached end of file), so the caller stops watching it; a closed pipe stays readable
        and would otherwise wake the caller in a loop."""
        if fd == self.channel.read_fd:
            return self.channel.read()
        return True

    def has_exited(self):
        """True once the child has exited. It stays a zombie (not reaped) until finish(), so
        its pid, which is also its process group id, cannot be reused by another process
        before finish() kills the group."""
        info = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        return info is not None

    def kill(self, reason):
        """Kills the whole process group (the test and anything it started), and when
        isolated every process of the run's identity (also those that left the group)."""
        self.killed_reason = self.killed_reason or reason
        self.timed_out = self.timed_out or reason == "timeout"
        _kill_group(self.pid)
        if self.identity is not None:
            isolation.kill_user(self.identity)

    def finish(self):
        """Reaps the child, kills anything it left behind, drains the channel.
        Returns (returncode, wall seconds); returncode < 0 means killed by that signal."""
        _kill_group(self.pid)           # leftovers: children the test started
        returncode = self._popen.wait()
        if self.identity is not None:   # leftovers that left the process group
            isolation.kill_user(self.identity)
        seconds = time.monotonic() - self.started
        self.channel.read()
        self.channel.close()
        if self._exit_fd >= 0:
            os.close(self._exit_fd)
            self._exit_fd = -1
        return returncode, seconds


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
