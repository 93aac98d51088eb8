"""The completion channel: how a test binary tells the grader that its tests really finished.

The grader never reads pass/fail from a test's output, because a student's code shares that
output (it can print "Passed") and its process (it can call exit(0) halfway through a test).
Instead, for every run the grader:
  1. creates a pipe and a random nonce,
  2. starts the binary with `--grader-fd <write end> --grader-nonce <nonce>`,
  3. after the Catch2 session has ended normally, the shared test main
     (labrpc/testing/test_main.cpp) writes ONE line of JSON to that fd:
        {"nonce": "...", "seed": S, "tests": [{"name": ..., "passed": ..., "seconds": ...,
         "virtual_seconds": ...}], "failed": K}
     ("virtual_seconds", the simulated run's clock at its end, only for simulated tests)
     and closes it,
  4. the grader reads that line and checks the nonce and the seed.
A process that exits, crashes or hangs during a test never writes the line, so the run
scores zero whatever it printed.
"""

import json
import os
import secrets
from dataclasses import dataclass

# A record is one short line; anything much longer is not from the harness.
MAX_RECORD_BYTES = 1 << 20


@dataclass(frozen=True)
class TestOutcome:
    name: str
    passed: bool
    seconds: float
    message: str = ""   # optional: the first failure message, when the main provides it
    virtual_seconds: float = None   # the simulator's clock at the end; None: not simulated


@dataclass(frozen=True)
class Record:
    seed: int
    failed: int
    tests: tuple

    def outcome(self, test_name):
        for t in self.tests:
            if t.name == test_name:
                return t
        return None


class ChannelError(Exception):
    """The channel held something that is not exactly one valid record for this run."""


class CompletionChannel:
    """One pipe for one run. Create it, pass child_args() and pass_fds() to the child, call
    child_started(), read() whenever read_fd is readable, and finally record()."""

    def __init__(self):
        self.nonce = secrets.token_hex(16)
        self.read_fd, self._write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        self._data = bytearray()
        self._overflow = False

    def child_args(self):
        return ["--grader-fd", str(self._write_fd), "--grader-nonce", self.nonce]

    def pass_fds(self):
        return (self._write_fd,)

    def child_started(self):
        """Closes our copy of the write end, so the pipe reports EOF once the child closes its
        copy (or exits)."""
        if self._write_fd >= 0:
            os.close(self._write_fd)
            self._write_fd = -1

    def read(self):
        """Reads what is available without blocking. Returns False at end of file."""
        while True:
            try:
                chunk = os.read(self.read_fd, 65536)
            except BlockingIOError:
                return True
            if not chunk:
                return False
            if len(self._data) + len(chunk) > MAX_RECORD_BYTES:
                self._overflow = True
            else:
                self._data += chunk

    def close(self):
        self.child_started()
        if self.read_fd >= 0:
            os.close(self.read_fd)
            self.read_fd = -1

    def record(self, expected_seed):
        """The run's record, None if nothing was written; raises ChannelError if what was
        written is not one well-formed record carrying this run's nonce and seed."""
        if self._overflow:
            raise ChannelError(f"more than {MAX_RECORD_BYTES} bytes on the grader channel")
        return parse_record(bytes(self._data), self.nonce, expected_seed)


def parse_record(data, nonce, expected_seed):
    """Parses what a run wrote to its channel (see CompletionChannel.record)."""
    lines = [line for line in data.split(b"\n") if line.strip()]
    if not lines:
        return None
    if len(lines) > 1:
        raise ChannelError(f"{len(lines)} completion records instead of one "
                           "(something besides the test harness wrote to the grader channel)")
    try:
        value = json.loads(lines[0])
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ChannelError("the completion record is not valid JSON") from None
    if not isinstance(value, dict):
        raise ChannelError("the completion record is not a JSON object")
    if value.get("nonce") != nonce:
        raise ChannelError("the completion record carries the wrong nonce "
                           "(it was not written by the test harness of this run)")
    seed = value.get("seed")
    if seed != expected_seed:
        raise ChannelError(f"the completion record is for seed {seed}, not {expected_seed}")
    return Record(seed=seed, failed=_field(value, "failed", int),
                  tests=tuple(_outcome(t) for t in _field(value, "tests", list)))


def _outcome(value):
    if not isinstance(value, dict):
        raise ChannelError("a test entry in the completion record is not an object")
    message = value.get("message", "")
    virtual = value.get("virtual_seconds")
    if virtual is not None and (isinstance(virtual, bool) or not isinstance(virtual, (int, float))
                                or virtual < 0):
        raise ChannelError("the completion record's 'virtual_seconds' is not a number >= 0")
    return TestOutcome(name=_field(value, "name", str), passed=_field(value, "passed", bool),
                       seconds=float(_field(value, "seconds", (int, float))),
                       message=message if isinstance(message, str) else "",
                       virtual_seconds=None if virtual is None else float(virtual))


def _field(obj, key, kind):
    value = obj.get(key)
    # bool is an int in Python; a count must not be true/false.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ChannelError(f"the completion record's '{key}' is missing or has the wrong type")
    return value
