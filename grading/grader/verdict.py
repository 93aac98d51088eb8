"""The verdict on one run: passed or not, a one-line reason that starts with the cause, and a
hint line (where the debug log is) that goes after it, on a line of its own.

A run passes only if ALL of these hold:
  - it finished within its time limit;
  - the completion channel holds exactly one record with this run's nonce and seed;
  - the record lists the test and says it passed, and counts no failures;
  - the process then exited with status 0.
Everything else scores zero. The log is read only to explain a failure (the first Catch2
failure message, a hint about memory); it never decides one.

A hidden test's run explains itself with private_reason() instead: the kind of failure, and no
word the run wrote or chose (its output, its failure message, its exit status, its times),
since the student's code ran inside it next to the hidden test and could have put anything
there.
"""

import re
import signal
from dataclasses import dataclass

from .channel import ChannelError

_SIGNAL_HINTS = {
    signal.SIGSEGV: "segmentation fault: a bad pointer, a use after free, or a stack "
                    "overflow",
    signal.SIGABRT: "abort: a failed assert, an uncaught exception in a thread, or "
                    "std::terminate",
    signal.SIGBUS: "bus error: a bad memory access",
    signal.SIGFPE: "arithmetic error, e.g. a division by zero",
    signal.SIGILL: "illegal instruction",
    signal.SIGXFSZ: "the run's output exceeded its size limit",
    signal.SIGKILL: "killed from outside (perhaps by the system's out-of-memory killer)",
}

_MEMORY_WORDS = ("std::bad_alloc", "bad_alloc", "Cannot allocate memory", "out of memory")


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reason: str                    # "" when passed; else the cause first
    hint: str = ""                 # e.g. "debug log: off; to get one, ..."; "" if none
    virtual_seconds: float = None  # the simulator's clock at the test's end, when known
    kind: str = ""                 # one of _PRIVATE_REASONS' keys when not passed


# What a hidden test's failure says (see the module comment).
_PRIVATE_REASONS = {
    "timeout": "timed out",
    "rejected": "rejected: the completion record is not valid",
    "early-exit": "the process ended before the test finished",
    "crash": "the process crashed before the test finished",
    "missing": "the test is not in the binary",
    "failed": "failed",
    "after-pass": "the test passed, but then the process failed while shutting down",
}


def private_reason(verdict):
    """The reason of a failed hidden-test run: its kind only."""
    return _PRIVATE_REASONS.get(verdict.kind, "failed")


def judge(test_name, binary_name, returncode, timed_out, run_seconds, read_record, log_text,
          memory_mb):
    """Decides one run. read_record() returns the channel's Record or None, or raises
    ChannelError; log_text is the run's output (for explanations only)."""
    if timed_out:
        return Verdict(False, f"timed out: no result after {run_seconds:g} s, so the run was "
                              "killed (a deadlock, a livelock, or far too slow)", kind="timeout")
    try:
        record = read_record()
    except ChannelError as e:
        return Verdict(False, f"rejected: {e}", kind="rejected")
    if record is None:
        return Verdict(False, _no_record_reason(returncode, log_text, memory_mb),
                       kind="crash" if returncode < 0 else "early-exit")
    outcome = record.outcome(test_name)
    if outcome is None:
        return Verdict(False, f"no test named '{test_name}' in {binary_name} (is it compiled "
                              "into this build?)", kind="missing")
    virtual = outcome.virtual_seconds
    if not outcome.passed:
        cause, hint = failure_parts(log_text)
        message = outcome.message or cause
        return Verdict(False, _with_memory_hint(f"failed: {message}" if message else "failed",
                                                log_text, memory_mb), hint, virtual, "failed")
    if record.failed != 0:
        return Verdict(False, f"the harness counted {record.failed} failure(s)",
                       virtual_seconds=virtual, kind="failed")
    if returncode != 0:
        return Verdict(False, "the test passed, but then the process "
                              + _describe_exit(returncode) + " while shutting down",
                       virtual_seconds=virtual, kind="after-pass")
    return Verdict(True, "", virtual_seconds=virtual)


def _no_record_reason(returncode, log_text, memory_mb):
    if returncode == 0:
        return ("exited with status 0 before the test finished (does the code call exit()? "
                "only the test harness may end a test)")
    reason = f"{_describe_exit(returncode)} before the test finished"
    if returncode > 0:
        message = failure_message(log_text) or _last_line(log_text)
        if message:
            reason += f": {message}"
    return _with_memory_hint(reason, log_text, memory_mb)


def _describe_exit(returncode):
    if returncode < 0:
        sig = -returncode
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        hint = _SIGNAL_HINTS.get(sig)
        return f"crashed with {name}" + (f" ({hint})" if hint else "")
    return f"exited with status {returncode}"


def _with_memory_hint(reason, log_text, memory_mb):
    if memory_mb > 0 and any(w in log_text for w in _MEMORY_WORDS):
        return f"{reason} [memory limit of {memory_mb} MiB reached]"
    return reason


# Catch2's console reporter prints a failure as a block that starts with "file:line: FAILED:"
# and ends at a blank line, for example
#   raft/tests/election_test.cpp:12: FAILED:
#     REQUIRE( leader >= 0 )
#   with expansion:
#     -1 >= 0
# We keep the first block, minus Catch2's labels and the seed/replay lines (the grader shows
# its own), squeezed onto one line. The harness ends its messages with the seed, the replay
# command and "debug log: ..." (where the run's debug log went, or how to get one): the debug
# log part becomes the verdict's hint, shown on a line of its own after the cause.
_FAILED = re.compile(r"^\S.*:\d+: FAILED:$")
_LABELS = ("with expansion:", "explicitly with message:", "explicitly with messages:",
           "due to unexpected exception with message:",
           "due to unexpected exception with messages:", "with message:", "with messages:",
           "{Unknown expression after the reported line}")
# The harness adds the seed and the replay command to every failure; the grader shows its
# own, so they are cut out (after joining, since Catch2 wraps long lines at 80 columns).
_REDUNDANT = re.compile(r'seed: \d+|replay with: \./lab test \S+ "[^"]*" --seed \d+'
                        r'(?: --check-determinism)?')


_DEBUG_LOG = re.compile(r"(?:^| )(debug log: .*)$")


def failure_message(log_text, limit=300):
    """The cause of the first Catch2 failure in a log, on one line; "" if there is none."""
    return failure_parts(log_text, limit)[0]


def failure_parts(log_text, limit=300):
    """(cause, hint) of the first Catch2 failure in a log, each on one line; ("", "") if there
    is none. The hint is the harness's "debug log: ..." line, "" when absent."""
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        if not _FAILED.match(line.strip()):
            continue
        words = []
        for follow in lines[i + 1:]:
            text = follow.strip()
            if not text or set(text) <= set("=-."):
                break
            if text not in _LABELS:
                words.append(text)
        message = " ".join(_REDUNDANT.sub("", " ".join(words)).split())
        hint = ""
        found = _DEBUG_LOG.search(message)
        if found:
            hint = found.group(1)
            message = message[:found.start()].strip()
        return _cut(message, limit), _cut(hint, limit)
    return "", ""


def _cut(text, limit):
    return text[:limit] + ("..." if len(text) > limit else "")


def _last_line(log_text):
    lines = [line.strip() for line in log_text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
