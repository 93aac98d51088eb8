// Starting a run (tests use LAB_TEST instead, see testing/test.h).
//
//   lab::RunOptions options;
//   options.seed = 42;
//   lab::RunResult result = lab::Run(options, [] { ...the main task... });
//   if (!result.ok) std::cerr << result.failure;
//
// Run blocks the calling OS thread until the main task has returned and every other task of
// the run has been cancelled and reaped. One run at a time per OS thread.
//
// Two backends run the same code (docs/architecture.md, "Backends"): the simulator (default:
// fibers on one thread, virtual time, reproducible from the seed) and the real backend (one OS
// thread per task, steady_clock, real locks; for ThreadSanitizer; not reproducible). On the
// real backend the main task runs on the thread that called Run.
#ifndef LABRPC_RUNTIME_RUN_H_
#define LABRPC_RUNTIME_RUN_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "labrpc/runtime/runtime.h"
#include "labrpc/runtime/strategy.h"

namespace lab {

enum class BackendKind { kSimulated, kReal };

// The backend a default-constructed RunOptions selects: the simulator, unless the test main
// was given --real or LAB_BACKEND=real (it calls SetDefaultBackend).
BackendKind DefaultBackend();
void SetDefaultBackend(BackendKind kind);
const char* BackendName(BackendKind kind);  // "simulated" or "real"

struct RunOptions {
  BackendKind backend = DefaultBackend();
  std::uint64_t seed = 1;
  // Simulator only: how schedules are explored (strategy.h); its parameters come from the
  // seed. The real backend ignores it.
  StrategyKind strategy = StrategyKind::kRandom;
  // The run fails when its clock passes this limit (virtual time in the simulator, real time
  // since the start of the run on the real backend).
  Duration virtual_time_limit = std::chrono::seconds(600);
  // The process ends with a report when one task runs this long (real time) without
  // reaching a blocking point: a busy loop would otherwise hang the run forever.
  double busy_loop_seconds = 20;
  // Simulator only: the run fails with a task dump when its virtual clock has stood still
  // for both this many real seconds and livelock_switches task switches: tasks keep running,
  // but none ever waits for time to pass (a loop that polls without lab::sleep_for), so the
  // clock, and with it every timeout of the test, never moves. Both bounds must be reached:
  // a legitimate run never switches millions of times at one instant for seconds on end.
  double livelock_seconds = 5;
  std::uint64_t livelock_switches = 1'000'000;
  // Real backend only: the run fails with a task dump when no task made progress (no blocking
  // call returned, no task started or ended) for this long. A run in which every task waits
  // with no timeout pending fails at once (a certain deadlock), as in the simulator.
  double stall_seconds = 10;
  // Stack size of each task (guard page included). Env LAB_STACK_KB overrides the default.
  std::size_t stack_size = 256 * 1024;
  // Keep a readable copy of every traced event (for --check-determinism reports).
  bool record_trace = false;
  // Shown in failure messages ("replay with: ...").
  std::string replay_command;
};

struct RunResult {
  bool ok = true;
  std::string failure;             // first failure: lab::Fatal, deadlock, time limit, ...
  std::exception_ptr main_error;   // an exception that escaped the main task (e.g. REQUIRE)
  std::uint64_t trace_hash = 0;    // equal for equal seeds (the determinism check); 0 on the
                                   // real backend, which is not reproducible
  std::vector<std::string> trace;  // filled when RunOptions::record_trace
  Duration virtual_time{};         // the run's clock at its end (real time on the real backend)
  std::uint64_t switches = 0;      // real backend: blocking calls that returned, plus yields
  std::uint64_t tasks_spawned = 0;
};

RunResult Run(const RunOptions& options, std::function<void()> main_task);

// Adds an event to the run's trace hash (and to the readable trace when recorded). Framework
// code traces scheduling decisions, RPC fates, crashes; student code has LAB_DEBUG instead.
void TraceEvent(std::string_view kind, std::string_view detail);

}  // namespace lab

#endif  // LABRPC_RUNTIME_RUN_H_
