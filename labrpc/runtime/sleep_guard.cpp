// The definitions below interpose on the C library's: the executable that links this file
// exports them, and the dynamic linker binds every call to them (from libstdc++'s
// std::this_thread::sleep_for as well as from the program) to this file. The C library's own
// versions are found with dlsym(RTLD_NEXT) (a sanitizer's interceptor, when one comes first).
#include "labrpc/runtime/sleep_guard.h"

#include <dlfcn.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "labrpc/runtime/backend.h"
#include "labrpc/runtime/group_impl.h"

namespace lab {
namespace {

std::atomic<bool> enabled{false};
// The process whose runs are guarded. A child forked from inside a task (a daemon a
// submission leaves behind) holds a copy of the task's state but no run drives it: it sleeps
// for real, like any process outside a run, and never reports into its parent's run.
std::atomic<pid_t> guarded_pid{0};

// Fails the simulated run the calling task belongs to and unwinds the task, when there is
// one; returns otherwise (the caller then sleeps for real).
void CheckRealSleep(const char* function) {
  if (!enabled.load(std::memory_order_relaxed)) return;
  if (getpid() != guarded_pid.load(std::memory_order_relaxed)) return;
  detail::Backend* backend = detail::CurrentBackend();
  const detail::Task* task = detail::CurrentTaskOrNull();
  if (backend == nullptr || task == nullptr || !backend->simulated()) return;
  backend->Fail(fmt::format(
      "real sleep in simulated code: task '{}' [group {}] called {}() at virtual time {:.3f} "
      "s (std::this_thread::sleep_for, usleep, sleep and nanosleep all sleep for real).\n"
      "In the simulator every task runs on one OS thread and time is virtual: a real sleep "
      "stops every task and does not move lab::now(), so a loop that sleeps for real polls "
      "for ever while no timeout fires. Use lab::sleep_for (or lab::CondVar::wait_for, "
      "lab::Chan::recv_for) instead.",
      task->name, task->group->name(), function, backend->Now().time_since_epoch().count() / 1e9));
  // Unwind the task as a cancelled one (the run is cancelled now), unless it is unwinding
  // already: throwing then would terminate the program; the sleep is skipped instead.
  if (std::uncaught_exceptions() == 0) throw Cancelled{};
}

template <class Fn>
Fn Next(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

void CatchRealSleeps() {
  guarded_pid.store(getpid(), std::memory_order_relaxed);
  enabled.store(true, std::memory_order_relaxed);
}

}  // namespace lab

// Not marked noexcept: these are POSIX cancellation points, which the C library declares
// without __THROW, so callers are ready for them to unwind.
extern "C" {

int nanosleep(const struct timespec* request, struct timespec* remaining) {
  lab::CheckRealSleep("nanosleep");
  static const auto next = lab::Next<int (*)(const timespec*, timespec*)>("nanosleep");
  return next(request, remaining);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec* request,
                    struct timespec* remaining) {
  lab::CheckRealSleep("clock_nanosleep");
  static const auto next =
      lab::Next<int (*)(clockid_t, int, const timespec*, timespec*)>("clock_nanosleep");
  return next(clock, flags, request, remaining);
}

int usleep(useconds_t microseconds) {
  lab::CheckRealSleep("usleep");
  static const auto next = lab::Next<int (*)(useconds_t)>("usleep");
  return next(microseconds);
}

unsigned int sleep(unsigned int seconds) {
  lab::CheckRealSleep("sleep");
  static const auto next = lab::Next<unsigned int (*)(unsigned int)>("sleep");
  return next(seconds);
}

}  // extern "C"
