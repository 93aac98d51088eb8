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
//   4. Every decision that can change the schedule draws from sched_rng_, user_rng_ or
//      strategy_rng_, which derive only from the seed; containers are ordered by sequential
//      ids, never addresses.
//
// Strategies (strategy.h) steer the choices the loop above leaves open: with pct, the pick
// among runnable tasks is the one of highest priority instead of a uniform draw; with jitter,
// every timed Park's deadline moves a little later. The random strategy draws nothing from
// strategy_rng_, so its schedules are exactly the plain simulator's.
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
#include "labrpc/runtime/strategy.h"

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
  // pct only: the higher runs first. Drawn in [2^62, 2^63) at spawn; a demoted task gets the
  // next value of a counter counting down from 2^62, so it is below every other task.
  std::uint64_t priority = 0;
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
  void Yield() override { YieldImpl(/*demote=*/plan_.pct); }
  void PreemptionPoint() override { YieldImpl(/*demote=*/false); }
  TimePoint Now() const override { return now_; }
  std::uint64_t RandNext() override { return user_rng_.Next(); }
  std::uint64_t RandBelow(std::uint64_t n) override { return user_rng_.Below(n); }
  double RandUnit() override { return user_rng_.Unit(); }
  void Fail(const std::string& message) override;
  void Trace(std::string_view kind, std::string_view detail) override;
  void InterruptCancelled(const GroupImpl* group) override;

  std::string DumpTasks() override;
  Duration MessageJitter() override;

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
  void YieldImpl(bool demote);
  std::size_t PickRunnable();  // the index in runnable_ of the task to run next
  void Demote(SimTask* task);  // pct: below every other task
  [[noreturn]] void AbortStuck(const std::string& why);
  // Livelock detection (see the file comment): starts a new still window when the clock
  // moved since the last check, fails the run when the current one passed both bounds.
  void CheckClockMoves();
  void StartStillWindow();
  std::string LivelockReport(double real_seconds);

  Rng sched_rng_;
  Rng user_rng_;
  StrategyPlan plan_;
  Rng strategy_rng_;
  TimePoint next_change_{};  // pct: the next priority change point
  // pct: result_.switches when the clock last moved. Priorities decide only while the clock
  // has moved within kPctFairSwitches switches; after that, picks are uniform again until it
  // moves (see PickRunnable).
  std::uint64_t clock_moved_at_switch_ = 0;
  static constexpr std::uint64_t kPctFairSwitches = 200;
  std::uint64_t next_low_priority_ = std::uint64_t{1} << 62;
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
