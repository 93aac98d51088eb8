"""The grader of the labs (Python 3 standard library only).

Commands (run through ./lab, which sets LAB_ROOT; see tools/commands/):
    ./lab grade [lab|part|test ...] [--runs N] [-j N] [--seed S] [--solution] [--real]
                [--shard i/n] [--results FILE] [--junit FILE] [--isolate]
    ./lab merge-results SHARD.json ... [--results FILE] [--junit FILE]
    ./lab handout DIR
    ./lab submit LAB

One idea per module:
    manifest.py     labs/<lab>.json: schema and validation
    plan.py         selecting tests, runs and seeds, shards
    build.py        building test binaries, listing their tests
    channel.py      the completion channel (the only source of pass/fail)
    process.py      one run as a child process under limits
    isolation.py    running student code as unprivileged users; killing all they leave
    verdict.py      pass or fail, and why, for one run
    scheduler.py    running a plan in parallel, time budget, Ctrl-C
    progress.py     live progress (terminal bar or plain lines)
    results.py      RunResult, the record of one run
    scoring.py      runs -> points per test and lab
    table.py        the final text report
    gradescope.py   results.json, and a check of Gradescope's field list
    junit.py        JUnit XML
    grade.py        the `grade` command, tying the above together
    merge.py        the `merge-results` command
    distribution.py, handout_exclude.txt, leakcheck.py, handout.py   the `handout` command
    submit.py       the `submit` command

What a test binary must do to be graded (the shared Catch2 main does it for every lab;
another driver, like MapReduce's, must do the same):
    <binary> --list-test-names-only                  print one test name per line
    <binary> "<test name>" --seed N --grader-fd F --grader-nonce X
        run that test; after it ends normally write one line of JSON to fd F:
        {"nonce": X, "seed": N, "tests": [{"name", "passed", "seconds"}], "failed": K}
"""
