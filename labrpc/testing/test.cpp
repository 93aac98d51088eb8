#include "labrpc/testing/test.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

#include <fmt/format.h>

#include "labrpc/debug.h"
#include "labrpc/runtime/run.h"
#include "labrpc/testing/artifacts.h"

namespace lab::testing {

TestOptions& Options() {
  static TestOptions options;
  return options;
}

double& VirtualSecondsOfCurrentTest() {
  static double seconds = -1;
  return seconds;
}

std::vector<std::string>& LinesAfterReport() {
  static std::vector<std::string> lines;
  return lines;
}

std::string ReplayCommand(const std::string& test_name) {
  return fmt::format("./lab test {} \"{}\" --seed {}{}", Options().suite, test_name, Options().seed,
                     OnRealBackend() ? " --real" : "");
}

namespace {

RunResult RunOnce(const char* test_name, void (*body)(), bool record_trace) {
  RunOptions run;
  run.backend = Options().backend;
  run.seed = Options().seed;
  run.virtual_time_limit = std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(Options().virtual_time_limit_s));
  run.busy_loop_seconds = Options().busy_loop_s;
  run.livelock_seconds = Options().livelock_s;
  run.stall_seconds = Options().stall_s;
  run.record_trace = record_trace;
  run.replay_command = ReplayCommand(test_name);
  return Run(run, body);
}

// Index of the first event where two recorded traces differ.
std::size_t FirstDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

void CheckDeterminism(const char* test_name, void (*body)(), const RunResult& first) {
  RunResult second = RunOnce(test_name, body, true);
  if (second.trace_hash == first.trace_hash) {
    std::printf("determinism: ok (trace hash %016llx, %zu events)\n",
                static_cast<unsigned long long>(first.trace_hash), first.trace.size());
    return;
  }
  const std::size_t i = FirstDifference(first.trace, second.trace);
  auto at = [i](const std::vector<std::string>& t) {
    return i < t.size() ? t[i] : std::string("<end of trace>");
  };
  LinesAfterReport().push_back("replay with: " + ReplayCommand(test_name) + " --check-determinism");
  FAIL(fmt::format(
      "not deterministic: seed {} gave trace hashes {:016x} and {:016x}.\nFirst difference at "
      "event {}:\n  run 1: {}\n  run 2: {}\nSomething outside the runtime decided the schedule: "
      "an unseeded random number, a wall-clock read, real threads, or iteration over pointers "
      "or an unordered container keyed by addresses.\nThe command that replays both runs is "
      "printed below this report.",
      Options().seed, first.trace_hash, second.trace_hash, i, at(first.trace), at(second.trace)));
}

// "seed: N", with a warning on the real backend, where the seed does not fix the schedule.
std::string SeedLine() {
  std::string line = fmt::format("seed: {}", Options().seed);
  if (OnRealBackend()) {
    line +=
        " (real backend: runs are not reproducible; the seed fixes lab::rand and the "
        "network's draws, not the schedule)";
  }
  return line;
}

}  // namespace

void RunTestBody(const char* test_name, void (*body)()) {
  std::printf("[%s] seed %llu%s\n", test_name, static_cast<unsigned long long>(Options().seed),
              OnRealBackend() ? " (real backend)" : "");
  std::fflush(stdout);
  SetCurrentTestName(test_name);
  const bool check = Options().check_determinism;
  RunResult result = RunOnce(test_name, body, check);
  if (!OnRealBackend()) {
    VirtualSecondsOfCurrentTest() = std::chrono::duration<double>(result.virtual_time).count();
  }
  // The replay command goes on a line of its own after Catch2's report, which would wrap it
  // at 80 columns inside the message (and a wrapped command does not paste).
  if (result.main_error || !result.ok) {
    LinesAfterReport().push_back("replay with: " + ReplayCommand(test_name));
  }
  if (result.main_error) {
    // An exception escaped the main task. A student's or the framework's exception (such as
    // "not implemented: Raft::GetState (2A)") is the cause: it comes first, the seed and the
    // hints after it. Catch2's own exception for a failed REQUIRE carries no message (Catch2
    // has already reported the assertion): rethrow it with the hints attached.
    std::string also;
    if (!result.failure.empty()) also = "\nthe run also failed with: " + result.failure;
    try {
      std::rethrow_exception(result.main_error);
    } catch (const std::exception& e) {
      FAIL(
          fmt::format("{}{}\n{}\ndebug log: {}", e.what(), also, SeedLine(), debug::Destination()));
    } catch (...) {
      UNSCOPED_INFO(SeedLine() << "\ndebug log: " << debug::Destination() << also);
      throw;
    }
  }
  if (!result.ok) {
    std::string failure = result.failure;
    while (!failure.empty() && failure.back() == '\n') failure.pop_back();
    FAIL(fmt::format("{}\n{}\ndebug log: {}", failure, SeedLine(), debug::Destination()));
  }
  if (check) CheckDeterminism(test_name, body, result);
}

}  // namespace lab::testing
