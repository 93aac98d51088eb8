"""Live progress while a session runs.

On a terminal: one status line redrawn in place (a bar, counts, elapsed time, what runs now),
with each failing run printed above it as it happens. Anywhere else (a log file, CI): one
plain line per finished run, nothing redrawn. Both implement started/finished/tick/close.
"""

import shutil
import sys
import time

from .results import NOT_RUN, PASSED


def make_progress(total, stream=None, quiet=False):
    stream = stream or sys.stdout
    if quiet:
        return QuietProgress()
    if stream.isatty():
        return TerminalProgress(total, stream)
    return LineProgress(total, stream)


def _describe(planned):
    return f"{planned.manifest.lab}/{planned.test.name} run {planned.run_index + 1} " \
           f"(seed {planned.seed})"


class QuietProgress:
    def started(self, planned):
        pass

    def finished(self, planned, result):
        pass

    def tick(self):
        pass

    def close(self):
        pass


class LineProgress(QuietProgress):
    """One line per finished run: `[ 12/84] PASS raft/TestX run 1 (seed 5)  1.2 s`."""

    def __init__(self, total, stream):
        self.total, self.stream, self.done = total, stream, 0

    def finished(self, planned, result):
        self.done += 1
        word = {PASSED: "PASS", NOT_RUN: "SKIP"}.get(result.status, "FAIL")
        line = f"[{self.done:>{len(str(self.total))}}/{self.total}] {word} " \
               f"{_describe(planned)}  {result.seconds:.1f} s"
        if result.reason:
            line += f"\n      {result.reason}"
        print(line, file=self.stream, flush=True)


class TerminalProgress(QuietProgress):
    """A redrawn status line; failures scroll above it."""

    _REDRAW_SECONDS = 0.1

    def __init__(self, total, stream):
        self.total, self.stream = total, stream
        self.done = self.failed = 0
        self.running = []
        self.start = time.monotonic()
        self._last_draw = 0.0

    def started(self, planned):
        self.running.append(planned)
        self._draw()

    def finished(self, planned, result):
        if planned in self.running:
            self.running.remove(planned)
        self.done += 1
        if result.status != PASSED:
            self.failed += result.status != NOT_RUN
            if result.status != NOT_RUN:
                self._print_above(f"FAIL {_describe(planned)}: {result.reason}")
        self._draw(force=True)

    def tick(self):
        self._draw()

    def close(self):
        self._draw(force=True)
        self.stream.write("\n")
        self.stream.flush()

    def _print_above(self, text):
        self.stream.write("\r\x1b[K" + text + "\n")

    def _draw(self, force=False):
        now = time.monotonic()
        if not force and now - self._last_draw < self._REDRAW_SECONDS:
            return
        self._last_draw = now
        width = shutil.get_terminal_size((80, 24)).columns
        filled = int(20 * self.done / self.total) if self.total else 20
        bar = "#" * filled + "-" * (20 - filled)
        elapsed = int(now - self.start)
        line = f"[{bar}] {self.done}/{self.total}  failed {self.failed}  " \
               f"{elapsed // 60}:{elapsed % 60:02d}"
        if self.running:
            line += "  " + ", ".join(p.test.name for p in self.running)
        self.stream.write("\r\x1b[K" + line[:width - 1])
        self.stream.flush()
