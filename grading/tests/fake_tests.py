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
         "CloseChannelAndHang"]


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


def main(argv):
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
    else:
        print(f"No test cases matched '{name}'")
        os.write(fd, (json.dumps({"nonce": nonce, "seed": seed, "failed": 0, "tests": []})
                      + "\n").encode())
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
