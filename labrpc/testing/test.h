// Test glue: write a test once, run it in the simulator with any seed (or on the real backend).
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   #include "labrpc/testing/test.h"
//
//   LAB_TEST("TestInitialElection2A", "[raft][2A]") {
//     // The body runs as the main task of a fresh run, in the group "tester".
//     ...
//     REQUIRE(leader >= 0);   // Catch2 macros: only in this main task
//   }
//
// It includes Catch2 through labrpc/testing/catch.h (versions 2 and 3), which lists the Catch2
// names a test may use.
//
// Every test binary shares one main (test_main.cpp) that adds these options to Catch2's:
//   --seed N                run with this seed (default: random, printed); Catch2's
//                           --rng-seed N is honoured too
//   --check-determinism     run each test twice with the same seed and compare the trace
//                           hashes; a difference fails the test, naming the first event that
//                           differs
//   --virtual-time-limit S  fail a run whose virtual clock passes S seconds (default 600)
//   --busy-loop-seconds S   fail when one task runs S real seconds without blocking (default 20)
//   --livelock-seconds S    simulator: fail when the virtual clock stands still for S real
//                           seconds while tasks keep switching (default 5; see RunOptions)
//   --strategy NAME         simulator: how schedules are explored, one of random (the
//                           default), pct, jitter, swarm (runtime/strategy.h); the seed and
//                           the strategy together replay a run
//   --real                  run on the real backend (OS threads, real time; also
//                           LAB_BACKEND=real): for ThreadSanitizer and for real timing. Runs
//                           are not reproducible; tests tagged [sim] (exact virtual time,
//                           determinism, fiber stacks) are left out. The default in
//                           ThreadSanitizer builds (the tsan preset)
//   --sim                   run in the simulator (also LAB_BACKEND=sim); the default elsewhere
//   --stall-seconds S       real backend: fail when no task made progress for S s (default 10)
//   --timeline FILE         record the run (labrpc/record.h) and write it to FILE as one
//                           self-contained HTML page (testing/timeline.h); with several
//                           tests, FILE gets the test's name before its extension
//   --timeline-on-failure   record every run and write the timeline of each failing one
//                           next to its other artifacts (testing/artifacts.h); also
//                           LAB_TIMELINE_ON_FAILURE=1, which the grader sets
// The seed is printed when each test starts; every failure prints it again with the exact
// `./lab test ...` command that replays the run (on the real backend the seed fixes lab::rand
// and the network's draws, not the schedule). The commands are printed on lines of their own,
// after Catch2's report, so that no console width ever wraps them.
//
// In the simulator, real sleeps in a task (std::this_thread::sleep_for, usleep, ...) fail the
// run at once, naming the task (runtime/sleep_guard.h).
//
// Checks that fire in background tasks (an applier, a checker in a client task) must not use
// Catch2 macros: call lab::Fatal(message), which fails the run; the main task then reports it.
#ifndef LABRPC_TESTING_TEST_H_
#define LABRPC_TESTING_TEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "labrpc/runtime/run.h"
#include "labrpc/runtime/runtime.h"
#include "labrpc/testing/catch.h"

namespace lab::testing {

// Options of this test binary (parsed by test_main.cpp).
struct TestOptions {
  std::uint64_t seed = 0;
  bool check_determinism = false;
  double virtual_time_limit_s = 600;
  double busy_loop_s = 20;
  double livelock_s = 5;
  double stall_s = 10;
  BackendKind backend = BackendKind::kSimulated;
  StrategyKind strategy = StrategyKind::kRandom;
  std::string suite;     // from the binary's name (bin/<suite>_tests), for the replay command
  std::string timeline;  // --timeline FILE ("" = off)
  bool timeline_on_failure = false;  // --timeline-on-failure
};
TestOptions& Options();

// True when this test binary runs on the real backend (--real or LAB_BACKEND=real). Tests use
// it only to relax checks of exact timing, which the simulator makes and real clocks cannot.
inline bool OnRealBackend() { return Options().backend == BackendKind::kReal; }

// Runs `body` as the main task of a run seeded from Options() and turns any failure into a
// Catch2 failure carrying the seed and the replay command.
void RunTestBody(const char* test_name, void (*body)());

// The virtual time, in seconds, at which the current test's simulated run ended; negative when
// the test made no simulated run through RunTestBody (a plain TEST_CASE, or the real backend).
// The test main resets it before each test and reports it to the grader, whose table shows it:
// in the simulator, wall time says little about a test and virtual time is what its limits are.
double& VirtualSecondsOfCurrentTest();

// Lines the test main prints on their own after Catch2's report of the current test, then
// forgets: the replay commands of a failure, which Catch2 would wrap inside its message.
std::vector<std::string>& LinesAfterReport();

// The replay command of the current test:
//   ./lab test <suite> "<test>" --seed <seed> [--strategy <name>] [--real].
std::string ReplayCommand(const std::string& test_name);

}  // namespace lab::testing

#define LAB_TEST_CAT2(a, b) a##b
#define LAB_TEST_CAT(a, b) LAB_TEST_CAT2(a, b)
#define LAB_TEST_IMPL(fn, name, tags)                               \
  static void fn();                                                 \
  TEST_CASE(name, tags) { ::lab::testing::RunTestBody(name, &fn); } \
  static void fn()
#define LAB_TEST(name, tags) LAB_TEST_IMPL(LAB_TEST_CAT(lab_test_body_, __LINE__), name, tags)

#endif  // LABRPC_TESTING_TEST_H_
