// Internal: the one interface between the lab API and the machinery that runs tasks. Not for
// student code (see runtime.h for the public contract).
//
// Two final implementations exist:
//   Scheduler    (scheduler.h)     the simulator: fibers on one OS thread, virtual time, every
//                                  scheduling decision drawn from the seed;
//   RealRuntime  (real_runtime.h)  OS threads, steady_clock, real blocking, Asio timers.
// The public functions (runtime.cpp) and the parking protocol (park.h) find the backend of
// the calling task through a thread-local pointer, set on the simulator's thread for the
// whole run and on every task thread of the real backend. The primitives (Mutex, CondVar,
// Chan, Group) never name a backend: they only use park.h.
//
// What every backend guarantees (the contract the primitives rely on):
//   1. Park releases the primitive's InternalLock while the task sleeps and holds it again
//      when it returns. A Wake issued for the task's current Waiter (under that lock) is never
//      lost, even when it comes before the task has actually gone to sleep.
//   2. The first of {Wake, deadline, cancellation of a cancellable park} decides the
//      WakeReason; later ones are ignored. A Wake for a task that is not parked is ignored.
//   3. A cancellable park of a task whose group (or the whole run) is cancelled returns
//      kCancelled at once; a cancellation that comes while the task is parked wakes it.
//   4. Run returns only after every task of the run has ended (its closure destroyed, its
//      group membership dropped), so nothing a task referenced is touched after Run.
#ifndef LABRPC_RUNTIME_BACKEND_H_
#define LABRPC_RUNTIME_BACKEND_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "labrpc/runtime/park.h"
#include "labrpc/runtime/run.h"
#include "labrpc/runtime/runtime.h"

namespace lab::detail {

class GroupImpl;

// What both backends know about a task. Each backend derives its own task type from it
// (SimTask: the fiber; RealTask: the thread and its wake-up state).
struct Task {
  enum class State : std::uint8_t { kRunnable, kRunning, kParked, kDone };

  std::uint64_t id = 0;
  std::string name;
  std::shared_ptr<GroupImpl> group;        // membership: Cancel and Wait act on it
  std::shared_ptr<GroupImpl> spawn_group;  // where lab::go puts new tasks (see InGroup);
                                           // read and written only by the task itself
  std::function<void()> body;              // moved out when the task starts

  // Park bookkeeping. In the simulator only its one thread touches these; on the real
  // backend they are protected by the task's own mutex (RealTask::mu).
  State state = State::kRunnable;
  std::uint64_t park_seq = 0;  // numbers the task's parks, so that stale timers are ignored
  bool park_cancellable = false;
  WakeReason wake_reason = WakeReason::kWoken;
  WaitInfo wait;
  TimePoint park_deadline = TimePoint::max();
  // What the task is in the middle of, for dumps ("Call Raft.AppendEntries to server '2'"),
  // set through ScopedNote. Written only by the task itself while it runs; a dump reads it
  // only while the task is parked (on the real backend under RealTask::mu, which orders the
  // two), so no lock is needed.
  std::string note;
};

// One line of a deadlock or stall report, copied out of a task (so that the real backend can
// format it without holding any lock).
struct TaskSnapshot {
  std::uint64_t id = 0;
  std::string name;
  std::string group;
  Task::State state = Task::State::kRunnable;
  WaitInfo wait;  // its holder pointer is not followed: see holder_id
  TimePoint deadline = TimePoint::max();
  std::uint64_t holder_id = 0;  // the mutex's holder when the snapshot was taken
  std::string note;             // Task::note, for a parked task
};

// The snapshot of `task`, reported in `state`. REQUIRES: the task cannot leave a park while
// this runs (the simulator's thread; on the real backend, RealTask::mu held).
TaskSnapshot SnapshotOf(const Task& task, Task::State state);

// "tasks at ...:\n  task 3 'ticker' [group server-1]: blocked on mutex #4 held by task 1
// 'main' [group tester]\n  task 7 'request-vote' [group server-1]: blocked in Call
// Raft.RequestVote to server '2' (on chan recv #9 until 1.100 s)\n ..." (the format the tests
// and students read; both backends print it).
std::string FormatTaskDump(const std::string& header, const std::vector<TaskSnapshot>& tasks);

class Backend {
 public:
  Backend(const RunOptions& options, bool simulated) : options_(options), simulated_(simulated) {}
  virtual ~Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // Runs `main_task` as the first task of the run, then cancels and reaps the others.
  virtual RunResult Run(std::function<void()> main_task) = 0;

  // Starts a task in `group`. The task runs the body unless the group (or the run) is
  // cancelled by the time it starts; either way its closure is destroyed by the task itself.
  virtual Task* Spawn(std::shared_ptr<GroupImpl> group, std::string name,
                      std::function<void()> body) = 0;
  // See park.h. REQUIRES: called by the current task with `lock` held.
  virtual WakeReason Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline,
                          bool cancellable) = 0;
  // Makes a parked task runnable with `reason` (ignored unless it is parked and not yet woken).
  virtual void Wake(Task* task, WakeReason reason) = 0;
  // Lets other tasks run (simulator: back to the scheduler; real: std::this_thread::yield).
  virtual void Yield() = 0;
  // A point where a real machine might switch to another task (lab::Mutex::lock): unlike
  // Yield, the task does not ask to let others go first (strategy.h, pct).
  virtual void PreemptionPoint() { Yield(); }
  // The run's clock: zero when the run started.
  virtual TimePoint Now() const = 0;
  // The run's seeded generator for lab::rand and the network (thread-safe on the real backend).
  virtual std::uint64_t RandNext() = 0;
  virtual std::uint64_t RandBelow(std::uint64_t n) = 0;
  virtual double RandUnit() = 0;
  // Records the first failure and cancels every task of the run. Safe from any thread.
  virtual void Fail(const std::string& message) = 0;
  // Adds an event to the trace hash (the simulator; the real backend has no trace).
  virtual void Trace(std::string_view kind, std::string_view detail) = 0;
  // Wakes the cancellable parked tasks of `group` (of every group when null).
  virtual void InterruptCancelled(const GroupImpl* group) = 0;
  // Every live task: name, group, state and what it waits on (lab::DescribeTasks).
  virtual std::string DumpTasks() = 0;
  // The flight time the run's strategy adds to one RPC request or reply (strategy.h).
  virtual Duration MessageJitter() { return Duration::zero(); }

  // True when `task` must throw Cancelled at a cancellable blocking point.
  bool ShouldCancel(const Task* task) const;
  bool run_cancelled() const { return all_cancelled_.load(std::memory_order_acquire); }
  // Sequential ids (deterministic in the simulator, where one thread draws them).
  std::uint64_t NextGroupId() { return group_ids_.fetch_add(1, std::memory_order_relaxed) + 1; }
  std::uint64_t NextObjectId() { return object_ids_.fetch_add(1, std::memory_order_relaxed) + 1; }
  bool simulated() const { return simulated_; }
  const RunOptions& options() const { return options_; }

 protected:
  // Sets the run-wide cancellation flag; true for the caller that set it first.
  bool MarkAllCancelled() { return !all_cancelled_.exchange(true, std::memory_order_acq_rel); }

  RunOptions options_;

 private:
  const bool simulated_;
  std::atomic<bool> all_cancelled_{false};
  std::atomic<std::uint64_t> group_ids_{0};
  std::atomic<std::uint64_t> object_ids_{0};
};

// The backend and task of the calling OS thread (null outside a run / outside a task). Set by
// the backends: for the whole run on the simulator's thread (the task at every switch), and
// once per task thread on the real backend. Inline: the simulator reads them at every switch.
namespace tls {
inline thread_local Backend* backend = nullptr;
inline thread_local Task* task = nullptr;
}  // namespace tls
inline Backend* CurrentBackend() { return tls::backend; }
inline Task* CurrentTaskOrNull() { return tls::task; }
inline void SetCurrent(Backend* backend, Task* task) {
  tls::backend = backend;
  tls::task = task;
}
inline void SetCurrentTask(Task* task) { tls::task = task; }

// A small helper for the backends: "task 'x' (group 'y') threw std::out_of_range: ...".
std::string DescribeException(std::exception_ptr e);

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_BACKEND_H_
