// Internal: the simulator's scheduler. One Scheduler per run, on one OS thread; every task is
// a Boost.Context fiber. Not for student code (see runtime.h for the public contract).
//
// How a run proceeds:
//   loop: if some task is runnable, pick one with the run's seeded generator and resume it
//         until it blocks (Park), yields or ends; else if a timer is pending, jump the virtual
//         clock to the earliest one and wake its task; else every live task is blocked for
//         ever: a deadlock while the main task lives (the run fails with a dump), and a hang
//         in unwinding code afterwards (the process aborts with a dump).
//
// Livelock: the clock moves only when no task is runnable. Tasks that poll (lock, check,
// unlock, loop) are always runnable, so the clock stands still and no timeout ever fires.
// Every kStillCheckInterval switches the loop compares the clock with the previous check;
// once it has stood still for RunOptions::livelock_switches switches and livelock_seconds of
// real time, the run fails with the tasks that ran most meanwhile and a task dump. The real
// clock is read only at those checks, and it decides only whether a run that is already stuck
// fails: it never changes a schedule.
//
// Invariants (hold at every switch):
//   1. Exactly one of: current_ == nullptr (the scheduler runs), or current_ is the one task
//      in state kRunning (and the thread's current task, see backend.h).
//   2. A task is in runnable_ iff its state is kRunnable.
//   3. A parked task has state kParked; a timer wakes it only if the timer's park_seq equals
//      the task's park_seq (stale timers from earlier waits are skipped).
//   4. Every decision that can change the schedule draws from sched_rng_ or user_rng_, which
//      derive only from the seed; containers are ordered by sequential ids, never addresses.
#ifndef LABRPC_RUNTIME_SCHEDULER_H_
#define LABRPC_RUNTIME_SCHEDULER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <boost/context/fiber.hpp>

#include "labrpc/runtime/backend.h"
#include "labrpc/runtime/park.h"
#include "labrpc/runtime/rng.h"
#include "labrpc/runtime/run.h"
#include "labrpc/runtime/runtime.h"

namespace lab::detail {

class GroupImpl;
class Scheduler;

// libstdc++'s per-thread exception state (__cxa_eh_globals), saved per task.
struct EhState {
  void* caught_exceptions = nullptr;
  unsigned int uncaught_exceptions = 0;
};

// A simulated task: the common Task plus its fiber.
struct SimTask final : Task {
  boost::context::fiber fiber;  // the task's continuation while it is not running
  boost::context::fiber sink;   // the scheduler's continuation while the task runs
  EhState eh;
  // Sanitizer bookkeeping.
  const void* stack_bottom = nullptr;
  std::size_t stack_size = 0;
  void* asan_fake_stack = nullptr;
  void* tsan_fiber = nullptr;
  // Livelock reports: how often the task ran during the scheduler's current still window
  // (counted from the first check that found the clock still).
  std::uint64_t still_window = 0;
  std::uint64_t still_runs = 0;
};

class Scheduler final : public Backend {
 public:
  explicit Scheduler(const RunOptions& options);
  ~Scheduler() override;

  RunResult Run(std::function<void()> main_task) override;

  Task* Spawn(std::shared_ptr<GroupImpl> group, std::string name,
              std::function<void()> body) override;
  WakeReason Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline,
                  bool cancellable) override;
  void Wake(Task* task, WakeReason reason) override;
  void Yield() override;
  TimePoint Now() const override { return now_; }
  std::uint64_t RandNext() override { return user_rng_.Next(); }
  std::uint64_t RandBelow(std::uint64_t n) override { return user_rng_.Below(n); }
  double RandUnit() override { return user_rng_.Unit(); }
  void Fail(const std::string& message) override;
  void Trace(std::string_view kind, std::string_view detail) override;
  void InterruptCancelled(const GroupImpl* group) override;

  std::string DumpTasks() override;

 private:
  struct Timer {
    TimePoint when;
    std::uint64_t seq;      // FIFO among equal times
    std::uint64_t task_id;  // not a pointer: the task may have ended since
    std::uint64_t park_seq;
    bool operator>(const Timer& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };

  void Loop();
  void Resume(SimTask* task);             // scheduler -> task, until it switches back
  void SwitchToScheduler(SimTask* task);  // task -> scheduler
  static void TaskMain(Scheduler* self, SimTask* task);
  void Reap(SimTask* task);
  bool FireTimers();                             // false when no live timer is pending
  SimTask* TimerTask(const Timer& timer) const;  // its task if the timer is live, else null
  void CancelEverything();
  [[noreturn]] void AbortStuck(const std::string& why);
  // Livelock detection (see the file comment): starts a new still window when the clock
  // moved since the last check, fails the run when the current one passed both bounds.
  void CheckClockMoves();
  void StartStillWindow();
  std::string LivelockReport(double real_seconds);

  Rng sched_rng_;
  Rng user_rng_;
  TimePoint now_{};
  SimTask* current_ = nullptr;
  std::vector<SimTask*> runnable_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::map<std::uint64_t, std::unique_ptr<SimTask>> tasks_;  // live tasks, by id
  std::uint64_t task_ids_ = 0;
  std::uint64_t timer_seq_ = 0;
  bool main_done_ = false;
  SimTask* main_task_ = nullptr;

  // Livelock detection. A still window starts at a check that finds the clock moved.
  static constexpr std::uint64_t kStillCheckInterval = 1024;
  std::uint64_t switches_to_check_ = kStillCheckInterval;
  std::uint64_t still_window_ = 0;    // numbers the windows (SimTask::still_window)
  TimePoint still_clock_{};           // the clock during the current window
  std::uint64_t still_switches_ = 0;  // result_.switches when it started
  // Whether Resume counts each task's runs (SimTask::still_runs): from the first check of a
  // window that found the clock still, so a run whose clock moves pays nothing for it.
  bool counting_still_runs_ = false;
  std::chrono::steady_clock::time_point still_real_start_;

  RunResult result_;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;

  EhState scheduler_eh_;
  void* scheduler_fake_stack_ = nullptr;
  const void* scheduler_stack_bottom_ = nullptr;
  std::size_t scheduler_stack_size_ = 0;
  void* scheduler_tsan_fiber_ = nullptr;
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_SCHEDULER_H_
