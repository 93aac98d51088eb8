#include "labrpc/runtime/watchdog.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace lab::detail {
namespace {

std::atomic<std::uint64_t> switches{0};
std::atomic<const char*> running_task{nullptr};

struct RunInfo {
  std::mutex mu;
  bool active = false;
  std::uint64_t seed = 0;
  double limit_s = 20;
  std::string replay;
};
RunInfo& Info() {
  static RunInfo* info = new RunInfo();  // never destroyed: the thread may outlive statics
  return *info;
}

[[noreturn]] void Report(const char* task, double seconds) {
  RunInfo& info = Info();
  std::lock_guard lock(info.mu);
  std::fprintf(stderr,
               "\nlab runtime: busy loop: task '%s' ran for %.0f s of real time without "
               "reaching a blocking point (lock, wait, channel, sleep, RPC).\n"
               "A simulated task runs until it blocks; a loop that only polls state must "
               "sleep (lab::sleep_for) or wait on a lab::CondVar.\nseed: %llu\n",
               task, seconds, static_cast<unsigned long long>(info.seed));
  if (!info.replay.empty()) std::fprintf(stderr, "replay with: %s\n", info.replay.c_str());
  std::fflush(stderr);
  _exit(70);
}

void WatchLoop() {
  std::uint64_t last_switches = switches.load(std::memory_order_relaxed);
  auto since = std::chrono::steady_clock::now();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::uint64_t now_switches = switches.load(std::memory_order_relaxed);
    const char* task = running_task.load(std::memory_order_relaxed);
    const auto now = std::chrono::steady_clock::now();
    if (now_switches != last_switches || task == nullptr) {
      last_switches = now_switches;
      since = now;
      continue;
    }
    double limit = 0;
    {
      std::lock_guard lock(Info().mu);
      if (!Info().active) continue;
      limit = Info().limit_s;
    }
    const double stuck = std::chrono::duration<double>(now - since).count();
    if (stuck >= limit) Report(task, stuck);
  }
}

}  // namespace

void Watchdog::RunStarted(std::uint64_t seed, double busy_loop_seconds, const std::string& replay) {
  static std::once_flag started;
  std::call_once(started, [] { std::thread(WatchLoop).detach(); });
  std::lock_guard lock(Info().mu);
  Info().active = true;
  Info().seed = seed;
  Info().limit_s = busy_loop_seconds;
  Info().replay = replay;
}

void Watchdog::RunEnded() {
  std::lock_guard lock(Info().mu);
  Info().active = false;
}

void Watchdog::TaskStarted(const char* task_name) {
  switches.fetch_add(1, std::memory_order_relaxed);
  running_task.store(task_name, std::memory_order_relaxed);
}

void Watchdog::TaskStopped() { running_task.store(nullptr, std::memory_order_relaxed); }

}  // namespace lab::detail
