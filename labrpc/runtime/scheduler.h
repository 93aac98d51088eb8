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
// Invariants (hold at every switch):
//   1. Exactly one of: current_ == nullptr (the scheduler runs), or current_ is the one task
//      in state kRunning.
//   2. A task is in runnable_ iff its state is kRunnable.
//   3. A parked task has state kParked; a timer wakes it only if the timer's park_seq equals
//      the task's park_seq (stale timers from earlier waits are skipped).
//   4. Every decision that can change the schedule draws from sched_rng_ or user_rng_, which
//      derive only from the seed; containers are ordered by sequential ids, never addresses.
#ifndef LABRPC_RUNTIME_SCHEDULER_H_
#define LABRPC_RUNTIME_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <boost/context/fiber.hpp>

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

struct Task {
  enum class State : std::uint8_t { kRunnable, kRunning, kParked, kDone };

  std::uint64_t id = 0;
  std::string name;
  std::shared_ptr<GroupImpl> group;        // membership: Cancel and Wait act on it
  std::shared_ptr<GroupImpl> spawn_group;  // where lab::go puts new tasks (see InGroup)
  std::function<void()> body;
  boost::context::fiber fiber;  // the task's continuation while it is not running
  boost::context::fiber sink;   // the scheduler's continuation while the task runs
  State state = State::kRunnable;

  // Park bookkeeping.
  std::uint64_t park_seq = 0;
  bool park_cancellable = false;
  WakeReason wake_reason = WakeReason::kWoken;
  WaitInfo wait;
  TimePoint park_deadline = TimePoint::max();

  EhState eh;
  // Sanitizer bookkeeping.
  const void* stack_bottom = nullptr;
  std::size_t stack_size = 0;
  void* asan_fake_stack = nullptr;
  void* tsan_fiber = nullptr;
};

class Scheduler {
 public:
  explicit Scheduler(const RunOptions& options);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The scheduler of the run on this OS thread, or nullptr outside a run.
  static Scheduler* Current();

  RunResult Run(std::function<void()> main_task);

  Task* current() const { return current_; }
  Task* Spawn(std::shared_ptr<GroupImpl> group, std::string name, std::function<void()> body);
  WakeReason Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline, bool cancellable);
  void Wake(Task* task, WakeReason reason);
  void Yield();
  TimePoint now() const { return now_; }
  Rng& user_rng() { return user_rng_; }
  bool ShouldCancel(const Task* task) const;
  // Wakes the cancellable parked tasks of `group` (or of every group when null).
  void InterruptCancelled(const GroupImpl* group);
  // Records the first failure and cancels every task of the run.
  void Fail(const std::string& message);
  void Trace(std::string_view kind, std::string_view detail);
  std::uint64_t NextGroupId() { return ++group_ids_; }
  std::uint64_t NextObjectId() { return ++object_ids_; }
  const RunOptions& options() const { return options_; }
  std::string DumpTasks() const;

 private:
  struct Timer {
    TimePoint when;
    std::uint64_t seq;  // FIFO among equal times
    std::uint64_t task_id;  // not a pointer: the task may have ended since
    std::uint64_t park_seq;
    bool operator>(const Timer& o) const {
      return when != o.when ? when > o.when : seq > o.seq;
    }
  };

  void Loop();
  void Resume(Task* task);       // scheduler -> task, until it switches back
  void SwitchToScheduler(Task* task);  // task -> scheduler
  static void TaskMain(Scheduler* self, Task* task);
  void Reap(Task* task);
  bool FireTimers();             // false when no live timer is pending
  Task* TimerTask(const Timer& timer) const;  // its task if the timer is live, else null
  void CancelEverything();
  [[noreturn]] void AbortStuck(const std::string& why);

  RunOptions options_;
  Rng sched_rng_;
  Rng user_rng_;
  TimePoint now_{};
  Task* current_ = nullptr;
  std::vector<Task*> runnable_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::map<std::uint64_t, std::unique_ptr<Task>> tasks_;  // live tasks, by id
  std::uint64_t task_ids_ = 0;
  std::uint64_t timer_seq_ = 0;
  std::uint64_t group_ids_ = 0;
  std::uint64_t object_ids_ = 0;
  bool all_cancelled_ = false;
  bool main_done_ = false;
  Task* main_task_ = nullptr;

  RunResult result_;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;

  EhState scheduler_eh_;
  void* scheduler_fake_stack_ = nullptr;
  const void* scheduler_stack_bottom_ = nullptr;
  std::size_t scheduler_stack_size_ = 0;
  void* scheduler_tsan_fiber_ = nullptr;
  Scheduler* previous_ = nullptr;
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_SCHEDULER_H_
