"""RunResult: what the grader remembers about one finished (or never started) run.

Results are plain data so they can travel: a shard writes them into its results.json (under
extra_data), and `./lab merge-results` reads them back from several machines.
"""

from dataclasses import asdict, dataclass

PASSED = "passed"
FAILED = "failed"
NOT_RUN = "not-run"      # interrupted with Ctrl-C, or the session's time budget ran out
STATUSES = (PASSED, FAILED, NOT_RUN)


@dataclass(frozen=True)
class RunResult:
    lab: str
    test: str
    run_index: int
    seed: int
    status: str
    reason: str = ""        # why it did not pass, cause first; "" when it passed
    hint: str = ""          # what to do next beside the replay command (e.g. the debug log)
    seconds: float = 0.0    # wall-clock time of the run
    virtual_seconds: float = None   # the simulator's clock at the test's end; None: not
                                    # simulated (real processes, the real backend) or unknown
    log: str = ""           # path of the kept log (failing runs only)
    log_tail: str = ""      # the end of that log, for results.json
    replay: str = ""        # the command that replays this run
    timeline: str = ""      # path of the run's timeline page (failing visible runs only)

    @property
    def key(self):
        return (self.lab, self.test, self.run_index)

    def to_dict(self):
        return asdict(self)

    @staticmethod
    def from_dict(value):
        fields = {k: value[k] for k in RunResult.__dataclass_fields__ if k in value}
        result = RunResult(**fields)
        if result.status not in STATUSES:
            raise ValueError(f"unknown run status '{result.status}'")
        return result


def replay_command(suite, test_name, seed, strategy="random"):
    """The command that replays one run, as printed by the test harness itself."""
    command = f'./lab test {suite} "{test_name}" --seed {seed}'
    return command if strategy == "random" else f"{command} --strategy {strategy}"
