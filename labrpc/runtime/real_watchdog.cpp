#include "labrpc/runtime/real_watchdog.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "labrpc/runtime/real_runtime.h"

namespace lab::detail {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(50);

double SecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

[[noreturn]] void ReportBusyLoop(RealRuntime& runtime, const std::string& task, double seconds) {
  const RunOptions& options = runtime.options();
  const std::string dump = runtime.DumpTasks();
  std::fprintf(stderr,
               "\nlab runtime: busy loop: task '%s' ran for %.0f s of real time without "
               "reaching a blocking point (lock, wait, channel, sleep, RPC).\n"
               "A task that never blocks cannot be cancelled (and in the simulator it stops "
               "every other task); a loop that only polls state must sleep (lab::sleep_for) or "
               "wait on a lab::CondVar.\nseed: %llu\n%s",
               task.c_str(), seconds, static_cast<unsigned long long>(options.seed), dump.c_str());
  if (!options.replay_command.empty()) {
    std::fprintf(stderr, "replay with: %s\n", options.replay_command.c_str());
  }
  std::fflush(stderr);
  // The exit system call itself: _exit would let ThreadSanitizer report the threads still
  // running (the busy one) as leaks and change the exit status.
  syscall(SYS_exit_group, 70);
  _exit(70);  // not reached
}

}  // namespace

RealWatchdog::RealWatchdog(RealRuntime& runtime) : runtime_(runtime), thread_([this] { Loop(); }) {}

RealWatchdog::~RealWatchdog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void RealWatchdog::Loop() {
  const RunOptions& options = runtime_.options();
  // What the previous look saw: (task id, probe word) of every live task, and whether all of
  // them were parked for ever. Equal lists mean nobody moved in between (the word counts
  // progress, so a task that woke and parked again has a different word).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> previous;
  bool previous_all_parked = false;
  SteadyClock::time_point last_progress = SteadyClock::now();
  // Per running task: its probe word and since when it has not changed.
  std::map<std::uint64_t, std::pair<std::uint64_t, SteadyClock::time_point>> running_since;

  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, kTick, [this] { return stop_; })) {
    lock.unlock();
    const SteadyClock::time_point now = SteadyClock::now();
    const std::vector<RealRuntime::Probe> probes = runtime_.ProbeTasks();

    std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
    bool all_parked = !probes.empty();
    bool any_running = false;
    std::map<std::uint64_t, std::pair<std::uint64_t, SteadyClock::time_point>> still_running;
    for (const RealRuntime::Probe& p : probes) {
      seen.emplace_back(p.id, p.word);
      const std::uint64_t state = p.word & RealTask::kProbeStateMask;
      all_parked = all_parked && state == RealTask::kProbeParkedForEver;
      if (state == RealTask::kProbeStarting) any_running = true;  // about to do something
      if (state != RealTask::kProbeRunning) continue;
      any_running = true;
      auto it = running_since.find(p.id);
      const SteadyClock::time_point since =
          it != running_since.end() && it->second.first == p.word ? it->second.second : now;
      still_running[p.id] = {p.word, since};
      if (SecondsBetween(since, now) >= options.busy_loop_seconds) {
        ReportBusyLoop(runtime_, p.name, SecondsBetween(since, now));
      }
    }
    running_since = std::move(still_running);
    const bool progress = seen != previous;
    if (progress) last_progress = now;

    if (!runtime_.run_cancelled() &&
        runtime_.Now().time_since_epoch() > options.virtual_time_limit) {
      runtime_.Fail(fmt::format("the run passed its time limit of {:g} s (real time)",
                                options.virtual_time_limit.count() / 1e9));
      last_progress = now;
    } else if (all_parked && previous_all_parked && !progress) {
      // Every task waits for something that only another task could give: for ever.
      if (!runtime_.run_cancelled()) {
        runtime_.Fail("deadlock: every task is blocked and no timer is pending\n" +
                      runtime_.DumpTasks());
        last_progress = now;
      } else {
        runtime_.AbortStuck(
            "tasks still blocked after the run was cancelled (a destructor or "
            "an unwinding task blocks for ever)");
      }
    } else if (!probes.empty() && !any_running &&
               SecondsBetween(last_progress, now) >= options.stall_seconds) {
      const std::string why = fmt::format(
          "no task made progress for {:.0f} s of real time: every task is blocked (the real "
          "backend's stall limit, --stall-seconds)",
          SecondsBetween(last_progress, now));
      if (!runtime_.run_cancelled()) {
        runtime_.Fail(why + "\n" + runtime_.DumpTasks());
        last_progress = now;
      } else {
        runtime_.AbortStuck(why +
                            ", after the run was cancelled (a destructor or an unwinding "
                            "task blocks)");
      }
    }
    previous = std::move(seen);
    previous_all_parked = all_parked;
    lock.lock();
  }
}

}  // namespace lab::detail
