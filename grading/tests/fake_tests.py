#!/usr/bin/env python3
"""A stand-in for a test binary, for the grader's fast unit tests (no C++ build needed).

It speaks the same command line as the shared Catch2 main (--list-test-names-only, a test
name, --seed, --grader-fd, --grader-nonce) and behaves according to the test's name, so the
tests can exercise every way a run can end. The same behaviours exist in C++, linked with the
real test main, in hostile_tests.cpp.
"""

import json
import os
import signal
import sys
import time

TESTS = ["Pass", "Fail", "ExitZero", "FakePassLine", "Abort", "Segfault", "Hang", "Memory",
         "PassOnEvenSeed", "ForgedRecord", "TwoRecords", "CrashAfterPass", "Slow",
         "CloseChannelAndHang", "SecretPass", "SecretFail", "Isolated", "LeaveDaemon",
         "NoNetwork"]


def record(fd, nonce, seed, name, passed):
    line = json.dumps({"nonce": nonce, "seed": seed, "failed": 0 if passed else 1,
                       "tests": [{"name": name, "passed": passed, "seconds": 0.01}]})
    os.write(fd, (line + "\n").encode())


def parse(argv):
    """(test name, {option: value}) from the command line."""
    options, name, i = {}, None, 1
    while i < len(argv):
        if argv[i].startswith("--"):
            options[argv[i]] = argv[i + 1]
            i += 2
        else:
            name = argv[i]
            i += 1
    return name, options


def trace(name, event):
    """Appends "<name> <event> <time>" to $FAKE_TRACE, when set (to check the run order)."""
    path = os.environ.get("FAKE_TRACE")
    if path:
        with open(path, "a") as f:
            f.write(f"{name} {event} {time.monotonic()}\n")


def isolated():
    """Whether this run is fenced in as --isolate promises: not root, no root group, cannot
    write the grader's folder (the parent of its working directory), cannot signal the
    grader."""
    if os.getuid() == 0 or os.geteuid() == 0 or 0 in os.getgroups() or os.getgid() == 0:
        return False
    try:
        with open(os.path.join(os.path.dirname(os.getcwd()), "forged"), "w"):
            return False
    except PermissionError:
        pass
    try:
        os.kill(os.getppid(), 0)
        return False
    except PermissionError:
        return True


def leave_daemon():
    """Leaves a process behind that left the run's session (setsid, two forks deep)."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            time.sleep(120)
        os._exit(0)


def main(argv):
    if "--list-test-names-only" in argv:
        return run(argv)
    name, _ = parse(argv)
    trace(name, "start")
    status = run(argv)
    trace(name, "end")
    return status


def run(argv):
    if "--list-test-names-only" in argv:
        if "--real" in argv:
            print("error: unknown option --real")
            return 2
        print("seed: 1")
        print("\n".join(TESTS))
        return len(TESTS)
    name, options = parse(argv)
    seed, fd = int(options["--seed"]), int(options["--grader-fd"])
    nonce = options["--grader-nonce"]
    print(f"seed: {seed}", flush=True)
    if name == "Pass":
        record(fd, nonce, seed, name, True)
    elif name == "Fail":
        print("fake_test.cpp:12: FAILED:\n  REQUIRE( leader >= 0 )\nwith expansion:\n"
              "  -1 >= 0\n")
        record(fd, nonce, seed, name, False)
        return 1
    elif name == "ExitZero":
        return 0
    elif name == "FakePassLine":
        print("  ... Passed --   1.0  3   20    3000    3")
        print(json.dumps({"nonce": "guess", "seed": seed, "failed": 0,
                          "tests": [{"name": name, "passed": True, "seconds": 1}]}))
        return 0
    elif name == "Abort":
        os.abort()
    elif name == "Segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif name == "Hang":
        time.sleep(3600)
    elif name == "Memory":
        hoard = []
        try:
            while True:
                hoard.append(bytearray(16 << 20))
        except MemoryError:
            hoard.clear()
            print("fake_test.cpp:40: FAILED:\ndue to unexpected exception with message:\n"
                  "  std::bad_alloc\n")
            record(fd, nonce, seed, name, False)
            return 1
    elif name == "PassOnEvenSeed":
        passed = seed % 2 == 0
        if not passed:
            print(f"fake_test.cpp:50: FAILED:\nexplicitly with message:\n  odd seed {seed}\n")
        record(fd, nonce, seed, name, passed)
        return 0 if passed else 1
    elif name == "ForgedRecord":
        record(fd, "0" * 32, seed, name, True)
        return 0
    elif name == "TwoRecords":
        record(fd, nonce, seed, name, True)
        record(fd, nonce, seed, name, True)
    elif name == "CrashAfterPass":
        record(fd, nonce, seed, name, True)
        os.abort()
    elif name == "CloseChannelAndHang":
        os.close(fd)
        time.sleep(3600)
    elif name == "Slow":
        time.sleep(0.5)
        record(fd, nonce, seed, name, True)
    elif name == "SecretPass":
        time.sleep(0.2)
        record(fd, nonce, seed, name, True)
    elif name == "SecretFail":     # everything it says is the student code's choice
        print("SECRET-OUTPUT: the hidden test's code")
        print("fake_test.cpp:60: FAILED:\nexplicitly with message:\n  SECRET-MESSAGE\n")
        record(fd, nonce, seed, name, False)
        return 3
    elif name == "Isolated":
        passed = isolated()
        print(f"uid {os.getuid()} groups {os.getgroups()}: {'isolated' if passed else 'NOT'}")
        record(fd, nonce, seed, name, passed)
        return 0 if passed else 1
    elif name == "NoNetwork":      # passes in a network namespace of its own: lo only
        with open("/proc/net/dev") as f:
            interfaces = [line.split(":")[0].strip() for line in f if ":" in line]
        print(f"interfaces {interfaces}")
        passed = interfaces == ["lo"]
        record(fd, nonce, seed, name, passed)
        return 0 if passed else 1
    elif name == "LeaveDaemon":
        leave_daemon()
        record(fd, nonce, seed, name, True)
    else:
        print(f"No test cases matched '{name}'")
        os.write(fd, (json.dumps({"nonce": nonce, "seed": seed, "failed": 0, "tests": []})
                      + "\n").encode())
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
