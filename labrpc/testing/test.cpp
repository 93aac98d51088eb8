#include "labrpc/testing/test.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

#include <fmt/format.h>

#include "labrpc/debug.h"
#include "labrpc/record.h"
#include "labrpc/runtime/run.h"
#include "labrpc/testing/artifacts.h"
#include "labrpc/testing/timeline.h"

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
  const bool strategy = !OnRealBackend() && Options().strategy != StrategyKind::kRandom;
  return fmt::format(
      "./lab test {} \"{}\" --seed {}{}{}", Options().suite, test_name, Options().seed,
      strategy ? fmt::format(" --strategy {}", StrategyName(Options().strategy)) : "",
      OnRealBackend() ? " --real" : "");
}

namespace {

// The why of a failed run, for the record: the failure, or the message of an exception that
// escaped the main task ("" when it passed).
std::string FailureText(const RunResult& result) {
  std::string text = result.failure;
  if (result.main_error) {
    try {
      std::rethrow_exception(result.main_error);
    } catch (const std::exception& e) {
      text = e.what() + (text.empty() ? "" : "\n" + text);
    } catch (...) {
      if (text.empty()) text = "a check of the test failed (see the test's report)";
    }
  }
  return text;
}

RunResult RunUnrecorded(const char* test_name, void (*body)(), bool record_trace);

// A run, recorded (labrpc/record.h) when `events` is not null. The record ends with the
// failure, if any, at the time the run ended.
RunResult RunOnce(const char* test_name, void (*body)(), bool record_trace,
                  std::vector<record::Event>* events) {
  if (events == nullptr) return RunUnrecorded(test_name, body, record_trace);
  record::Start();
  RunResult result = RunUnrecorded(test_name, body, record_trace);
  *events = record::Stop();
  if (result.main_error || !result.ok) {
    record::Event failure;
    failure.t_us =
        std::chrono::duration_cast<std::chrono::microseconds>(result.virtual_time).count();
    failure.kind = "failure";
    failure.lane = "tester";
    failure.text = FailureText(result);
    events->push_back(std::move(failure));
  }
  return result;
}

RunResult RunUnrecorded(const char* test_name, void (*body)(), bool record_trace) {
  RunOptions run;
  run.backend = Options().backend;
  run.seed = Options().seed;
  run.strategy = Options().strategy;
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

// The first line where two records differ, as "line N:\n  run 1: ...\n  run 2: ...".
std::string FirstRecordDifference(const std::string& a, const std::string& b) {
  std::size_t start = 0;
  int line = 1;
  for (std::size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i) {
    if (a[i] == '\n') {
      start = i + 1;
      ++line;
    }
  }
  auto rest = [start](const std::string& s) {
    return start < s.size() ? s.substr(start, s.find('\n', start) - start) : "<end of record>";
  };
  return fmt::format("line {}:\n  run 1: {}\n  run 2: {}", line, rest(a), rest(b));
}

// Runs the test again with the same seed; its trace hash, and its record (labrpc/record.h),
// must equal the first run's.
void CheckDeterminism(const char* test_name, void (*body)(), const RunResult& first,
                      const std::vector<record::Event>& first_record) {
  std::vector<record::Event> second_record;
  RunResult second = RunOnce(test_name, body, true, &second_record);
  if (second.trace_hash == first.trace_hash) {
    const std::string a = record::ToJson(first_record);
    const std::string b = record::ToJson(second_record);
    if (a != b) {
      LinesAfterReport().push_back("replay with: " + ReplayCommand(test_name) +
                                   " --check-determinism");
      FAIL(fmt::format(
          "not deterministic: seed {} gave equal trace hashes but different timeline records "
          "(labrpc/record.h); first difference at {}\nA LAB_DEBUG message that prints an "
          "address, a wall-clock time or an unordered container differs between runs.",
          Options().seed, FirstRecordDifference(a, b)));
    }
    std::printf("determinism: ok (trace hash %016llx, %zu events; %zu recorded events)\n",
                static_cast<unsigned long long>(first.trace_hash), first.trace.size(),
                first_record.size());
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

// --timeline FILE: the first test of this process writes FILE; each later one FILE with its
// name before the extension (a.html -> a-TestFoo.html), so a run of several tests keeps all.
std::string TimelinePathFor(const std::string& test_name) {
  static int written = 0;
  const std::string& file = Options().timeline;
  if (written++ == 0) return file;
  std::string safe;
  for (char c : test_name) safe += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  const auto dot = file.rfind('.');
  const auto slash = file.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return file + "-" + safe;
  }
  return file.substr(0, dot) + "-" + safe + file.substr(dot);
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
  const std::string strategy =
      OnRealBackend() || Options().strategy == StrategyKind::kRandom
          ? ""
          : " strategy " + DescribeStrategy(ResolveStrategy(Options().strategy, Options().seed));
  std::printf("[%s] seed %llu%s%s\n", test_name, static_cast<unsigned long long>(Options().seed),
              strategy.c_str(), OnRealBackend() ? " (real backend)" : "");
  std::fflush(stdout);
  SetCurrentTestName(test_name);
  const bool check = Options().check_determinism;
  // Recorded for a timeline, and for the determinism check, which compares the records too.
  const bool record =
      !OnRealBackend() && (check || !Options().timeline.empty() || Options().timeline_on_failure);
  std::vector<record::Event> events;
  RunResult result = RunOnce(test_name, body, check, record ? &events : nullptr);
  const bool failed = result.main_error || !result.ok;
  if (record && (!Options().timeline.empty() || (Options().timeline_on_failure && failed))) {
    const std::string path =
        !Options().timeline.empty() ? TimelinePathFor(test_name) : ArtifactPath("timeline", "html");
    std::string error = WriteTimeline(
        path, events,
        TimelineInfo{test_name, Options().seed, ReplayCommand(test_name), FailureText(result)});
    LinesAfterReport().push_back(error.empty() ? "timeline: " + path
                                               : "timeline not written: " + error);
    if (!failed) {
      // A passing test prints nothing after its report: say where the page went now.
      std::printf("%s\n", LinesAfterReport().back().c_str());
      LinesAfterReport().pop_back();
    }
  } else if (failed && !OnRealBackend()) {
    LinesAfterReport().push_back("timeline with: " + ReplayCommand(test_name) + " --timeline " +
                                 ArtifactPath("timeline", "html"));
  }
  if (!OnRealBackend()) {
    VirtualSecondsOfCurrentTest() = std::chrono::duration<double>(result.virtual_time).count();
  }
  // The replay command goes on a line of its own after Catch2's report, which would wrap it
  // at 80 columns inside the message (and a wrapped command does not paste).
  if (failed) {
    LinesAfterReport().insert(LinesAfterReport().begin(),
                              "replay with: " + ReplayCommand(test_name));
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
  if (check) CheckDeterminism(test_name, body, result, events);
}

}  // namespace lab::testing
