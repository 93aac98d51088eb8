"""Running a student's code as unprivileged users, and leaving nothing of it behind.

The grader runs as root on Gradescope, and a submission is hostile until proven otherwise: it
may try to write the results, signal the grader, read the hidden tests or outlive its run.
With --isolate (run_autograder always uses it), every process that runs or compiles student
code takes one of these identities, which grading/gradescope/setup.sh creates
(create_users):

    distlabs-build       compiles the student's files in the public tree (no hidden test in it)
    distlabs-hidden      compiles them with the hidden tests; its group, distlabs-hidden, is
                         the only one besides root that may read the instructors' tree and
                         run the hidden binaries
    distlabs-run1..N     run the tests: one user per run in flight, so that "kill every
                         process of this user" ends one run and everything it left behind,
                         and nothing else

None of them can write what the grader trusts (the results folder, the grader's code and
state, the binaries the runs execute), and none can signal a root process. Every child is set
up, between fork and exec, in this order: a network namespace of its own, with no interface
up, when the kernel allows it (network_isolated(): a hidden run could otherwise send what it
reads to the outside); limits on processes per user (RLIMIT_NPROC: a fork bomb stops there),
address space and file size, no core files; exactly the supplementary groups named; the
identity's gid and uid (real, effective and saved); NO_NEW_PRIVS, so no setuid program can
hand rights back. Wall-clock time is the caller's to enforce: at the deadline it calls
kill_user().

kill_user(uid) ends every process of a user the way the kernel offers atomically: a child that
has taken that uid calls kill(-1, SIGKILL), which signals every process of the uid in one pass
over the process list (a forking process cannot slip a new child past it), and repeats until
/proc shows none. The grader also makes itself a child subreaper (become_subreaper), so the
orphans of a run are reparented to it, not to a container's init that might never reap them,
and reap_children() collects them.

Only one grading may use these users at a time on one machine (sandbox_lock): kill_user in one
grading would otherwise end the runs of the other.

Linux only; Python >= 3.9 (Popen's umask, os.waitstatus_to_exitcode).
"""

import contextlib
import ctypes
import fcntl
import grp
import os
import pwd
import resource
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BUILD_USER = "distlabs-build"
HIDDEN_USER = "distlabs-hidden"      # also the name of the group that may read hidden files
RUN_USER_PREFIX = "distlabs-run"
RUN_USERS = 8                        # so at most 8 runs in parallel when isolated

_MIB = 1024 * 1024
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_CHILD_SUBREAPER = 36
_CLONE_NEWNET = 0x40000000
_LIBC = ctypes.CDLL(None, use_errno=True)
_KILL_PASSES = 200
_network_namespaces = None   # whether unshare(CLONE_NEWNET) works here; see network_isolated


class IsolationError(Exception):
    """Isolation was asked for but cannot be provided (not root, users missing, ...)."""


@dataclass(frozen=True)
class Identity:
    name: str
    uid: int
    gid: int


@dataclass(frozen=True)
class Limits:
    """Per-process limits of an isolated child (0 = no limit)."""
    processes: int      # RLIMIT_NPROC: processes and threads of the user, all runs included
    memory_mb: int      # RLIMIT_AS
    file_mb: int        # RLIMIT_FSIZE


BUILD_LIMITS = Limits(processes=512, memory_mb=4096, file_mb=2048)
BUILD_SECONDS = 1200


class Users:
    """The identities of an isolated grading, looked up by name."""

    def __init__(self):
        if os.geteuid() != 0:
            raise IsolationError("isolation needs root (it runs the student's code as other "
                                 "users); run as root, or grade without --isolate")
        if not os.path.isdir("/proc/self"):
            raise IsolationError("isolation needs /proc (to find the processes to end)")
        self.build = _identity(BUILD_USER)
        self.hidden_build = _identity(HIDDEN_USER)
        self.hidden_gid = self.hidden_build.gid
        self.runs = [_identity(f"{RUN_USER_PREFIX}{i}") for i in range(1, RUN_USERS + 1)]

    def all(self):
        return [self.build, self.hidden_build, *self.runs]


def _identity(name):
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise IsolationError(f"user {name} does not exist: grading/gradescope/setup.sh "
                             "creates the grading users (as root)") from None
    if entry.pw_uid == 0 or entry.pw_gid == 0:
        raise IsolationError(f"user {name} has uid or gid 0; it must be unprivileged")
    return Identity(name, entry.pw_uid, entry.pw_gid)


def create_users():
    """Creates the grading users and their groups if they do not exist (as root). Idempotent,
    and safe if another process creates them at the same time."""
    names = [BUILD_USER, HIDDEN_USER] + [f"{RUN_USER_PREFIX}{i}"
                                         for i in range(1, RUN_USERS + 1)]
    for name in names:
        if _exists(name):
            continue
        result = subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
             "/nonexistent", "--shell", "/usr/sbin/nologin", "--comment",
             "distlabs grading (runs student code)", name],
            capture_output=True, text=True)
        if result.returncode != 0 and not _exists(name):
            raise IsolationError(f"useradd {name} failed: {result.stderr.strip()}")


def _exists(name):
    try:
        pwd.getpwnam(name)
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def popen_kwargs(identity, limits, extra_gids=()):
    """Keyword arguments for subprocess.Popen that start the child as identity, in a session
    of its own, with exactly the supplementary groups extra_gids, under limits (see the
    module comment)."""
    return {"start_new_session": True, "umask": 0o022,
            "preexec_fn": _child_setup(identity, limits, list(extra_gids),
                                       network_isolated())}


def network_isolated():
    """Whether isolated children get a network namespace of their own: the kernel must let
    root create one (a container without CAP_SYS_ADMIN does not). Probed once, in a child."""
    global _network_namespaces
    if _network_namespaces is None:
        pid = os.fork()
        if pid == 0:
            os._exit(0 if _LIBC.unshare(_CLONE_NEWNET) == 0 else 1)
        _, status = os.waitpid(pid, 0)
        _network_namespaces = os.waitstatus_to_exitcode(status) == 0
    return _network_namespaces


def _child_setup(identity, limits, extra_gids, new_network):
    """Runs in the child, as root, after fork and before exec. The caller forks from one
    thread only, so this is safe (see process.py). Any failure ends the child (status 126)
    rather than let it run with less isolation than promised."""
    def apply():
        try:
            if new_network and _LIBC.unshare(_CLONE_NEWNET) != 0:
                raise OSError("unshare(CLONE_NEWNET) failed")
            pairs = [(resource.RLIMIT_CORE, 0)]
            if limits.processes > 0:
                pairs.append((resource.RLIMIT_NPROC, limits.processes))
            if limits.memory_mb > 0:
                pairs.append((resource.RLIMIT_AS, limits.memory_mb * _MIB))
            if limits.file_mb > 0:
                pairs.append((resource.RLIMIT_FSIZE, limits.file_mb * _MIB))
            for which, value in pairs:
                resource.setrlimit(which, (value, value))
            os.setgroups(extra_gids)
            os.setresgid(identity.gid, identity.gid, identity.gid)
            os.setresuid(identity.uid, identity.uid, identity.uid)
            if _LIBC.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
                raise OSError("prctl(PR_SET_NO_NEW_PRIVS) failed")
        except BaseException:
            os._exit(126)
    return apply


def environment(home, extra=None):
    """A minimal environment for an isolated child: nothing of the grader's own leaks in."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home),
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "CCACHE_DISABLE": "1"}
    env.update(extra or {})
    return env


def processes_of(uid):
    """Pids of the live (not zombie) processes whose real uid is uid."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as f:
                status = f.read()
        except OSError:
            continue      # it ended meanwhile
        real_uid, state = None, ""
        for line in status.splitlines():
            if line.startswith("Uid:"):
                real_uid = int(line.split()[1])
            elif line.startswith("State:"):
                state = line.split()[1]
        if real_uid == uid and state != "Z":
            pids.append(int(entry.name))
    return pids


def kill_user(identity):
    """Kills every process of identity's uid; returns how many were alive at the start.
    Raises IsolationError if some survive (which would mean the uid is not isolated). The dead
    stay zombies until their parent reaps them: a Popen its child, reap_children the rest."""
    found = len(processes_of(identity.uid))
    for attempt in range(_KILL_PASSES):
        if not processes_of(identity.uid):
            return found
        pid = os.fork()
        if pid == 0:   # the child: become the user, signal everything the user owns
            status = 0
            try:
                os.setgroups([])
                os.setresgid(identity.gid, identity.gid, identity.gid)
                os.setresuid(identity.uid, identity.uid, identity.uid)
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass
            except BaseException:
                status = 1
            os._exit(status)
        os.waitpid(pid, 0)
        if attempt:
            time.sleep(min(0.001 * attempt, 0.05))
    raise IsolationError(f"processes of {identity.name} survive SIGKILL: "
                         f"{processes_of(identity.uid)}")


def become_subreaper():
    """Orphaned descendants are reparented to this process (so reap_children sees them)."""
    _LIBC.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def children():
    """(pid, is zombie) of this process's children, from /proc."""
    me = os.getpid()
    found = []
    if not os.path.isdir("/proc"):   # nothing to see: a chroot without /proc
        return found
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after
        # the last ')'.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == me:
            found.append((int(entry.name), fields[0] == "Z"))
    return found


def reap_children(keep=(), kill=False):
    """Reaps this process's zombie children, except the pids in keep (Popen objects reap
    their own). With kill=True, also kills the live ones not in keep (leftovers that were
    reparented here)."""
    for pid, zombie in children():
        if pid in keep:
            continue
        if not zombie and kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if zombie or kill:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0 if kill else os.WNOHANG)


def make_private_dir(path, owner, mode=0o700):
    """Creates path (a new folder) owned by identity owner."""
    path = Path(path)
    path.mkdir(mode=mode)
    os.chown(path, owner.uid, owner.gid)
    os.chmod(path, mode)
    return path


@contextlib.contextmanager
def sandbox_lock(echo=None):
    """Held while the grading users are in use on this machine (see the module comment)."""
    folder = Path("/run") if os.access("/run", os.W_OK) else Path("/tmp")
    fd = os.open(folder / "distlabs-grading.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if echo is not None:
                print("isolation: waiting for another grading that uses the grading users",
                      file=echo, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
