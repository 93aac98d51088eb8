// Internal: the real backend. Every task is an OS thread, the clock is steady_clock, and a
// parked task really sleeps, on its own condition variable, until it is woken or its deadline
// passes (a timed wait of the kernel). Not for student code (see runtime.h for the contract).
//
// It runs the same primitives as the simulator (Mutex, CondVar, Chan, Group): they guard
// their state with InternalLock and block only through Park/Wake, which this class implements
// for threads. What differs from the simulator, and why it exists: docs/architecture.md,
// "Backends".
//
// Parking protocol (backend.h states the contract; this is how it holds with threads):
//   - A task's park state (Task::state, woken, wake_reason, park_seq, ...) is protected by its
//     own mutex `mu`. Park sets it *before* releasing the primitive's lock, and a waker must
//     take that primitive lock to claim the waiter, so a Wake can never come "too early" and
//     be lost: it finds the task parked, sets `woken` and notifies.
//   - Whoever sets `woken` first decides the WakeReason (Wake, a cancellation, or the task
//     itself when its timed wait expires); later attempts see `woken` and do nothing.
//   - Cancellation: the group's (or run's) flag is set before the canceller visits the parked
//     tasks under their mutexes, and Park checks the flag under the same mutex after marking
//     the task parked. So either the canceller finds the task parked and wakes it, or the task
//     sees the flag and does not sleep.
//   - Wake notifies while holding the task's mutex, so the woken thread cannot return from
//     Park (and perhaps end, freeing its task) before the waker has let go of the task.
//   - Lock order: tasks_mu_ -> a primitive's InternalLock -> RealTask::mu. Nothing that holds a
//     task's mu takes another lock.
//
// Why no timer service (Boost.Asio or other): a shared timer queue would be a synchronization
// point between every two tasks that set a timer, so ThreadSanitizer would see an ordering
// that the student's code does not have and miss its data races; and GCC's ThreadSanitizer
// cannot model the fences Asio's scheduler uses. A timed wait on the task's own condition
// variable involves no other task. (docs/architecture.md, "Backends".)
//
// Lifetime: a task's thread owns a shared_ptr to its RealTask, as does the registry. When a
// task ends it destroys its closure, leaves its group (which wakes Group::Wait), and hands its
// std::thread to `finished_`; Spawn and the end of Run join those threads. Run returns only
// after every thread of the run was joined, so no thread of a run outlives it, and none
// touches what its group's waiter destroys after Wait returned.
//
// The watchdog (real_watchdog.h) reads each task's `probe` word with relaxed loads: it never
// takes a task's mutex (except to print a report), so it adds no ordering between tasks that
// ThreadSanitizer could mistake for the program's own synchronization.
#ifndef LABRPC_RUNTIME_REAL_RUNTIME_H_
#define LABRPC_RUNTIME_REAL_RUNTIME_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "labrpc/runtime/backend.h"
#include "labrpc/runtime/rng.h"

namespace lab::detail {

class RealWatchdog;

// A task of the real backend: the common Task plus its thread and wake-up state.
struct RealTask final : Task {
  // What the watchdog sees, in one word so that one relaxed load gives a consistent pair: the
  // low 3 bits are a Probe state, the rest counts the parks that ended and the yields (the
  // task's progress). Written under `mu`, or by the task itself while it runs (nobody else
  // writes a running task's word).
  enum Probe : std::uint64_t {
    kProbeStarting = 0,     // spawned, its thread not yet running the body
    kProbeRunning = 1,      // running, or woken and about to return from Park
    kProbeParkedTimed = 2,  // parked with a deadline
    kProbeParkedForEver = 3,
    kProbeDone = 4,
  };
  static constexpr std::uint64_t kProbeStateBits = 3;
  static constexpr std::uint64_t kProbeStateMask = (1u << kProbeStateBits) - 1;
  static constexpr std::uint64_t kProbeProgress = 1u << kProbeStateBits;
  void SetProbe(Probe state, bool progressed) {
    const std::uint64_t word = probe.load(std::memory_order_relaxed);
    probe.store(((word & ~kProbeStateMask) + (progressed ? kProbeProgress : 0)) | state,
                std::memory_order_relaxed);
  }

  std::mutex mu;  // protects the park bookkeeping (here and in Task)
  std::condition_variable cv;
  bool woken = false;  // the current park is decided; wake_reason says why
  std::atomic<std::uint64_t> probe{kProbeStarting};
  std::thread thread;  // empty for the main task; moved under RealRuntime::tasks_mu_
};

class RealRuntime final : public Backend {
 public:
  explicit RealRuntime(const RunOptions& options);
  ~RealRuntime() override;

  RunResult Run(std::function<void()> main_task) override;

  Task* Spawn(std::shared_ptr<GroupImpl> group, std::string name,
              std::function<void()> body) override;
  WakeReason Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline,
                  bool cancellable) override;
  void Wake(Task* task, WakeReason reason) override;
  void Yield() override;
  TimePoint Now() const override;
  std::uint64_t RandNext() override;
  std::uint64_t RandBelow(std::uint64_t n) override;
  double RandUnit() override;
  void Fail(const std::string& message) override;
  void Trace(std::string_view, std::string_view) override {}  // not reproducible: no hash
  void InterruptCancelled(const GroupImpl* group) override;

  // For the watchdog: the probe word of every live task (by id), and a readable dump.
  struct Probe {
    std::uint64_t id = 0;
    std::uint64_t word = 0;  // RealTask::probe
    std::string name;        // only for running tasks (a busy loop report names them)
  };
  std::vector<Probe> ProbeTasks();
  std::string DumpTasks() override;
  // Ends the process with the task dump (as the simulator does for a hang while unwinding).
  [[noreturn]] void AbortStuck(const std::string& why);
  bool main_done() const { return main_done_.load(std::memory_order_acquire); }
  std::string first_failure();

 private:
  void TaskMain(const std::shared_ptr<RealTask>& task);
  void RunBody(RealTask* task);
  void Finish(RealTask* task);
  void JoinFinished();
  void CancelEverything();
  std::chrono::steady_clock::time_point ToSteady(TimePoint t) const {
    return start_ +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(t.time_since_epoch());
  }

  const std::chrono::steady_clock::time_point start_;

  std::mutex rng_mu_;
  Rng user_rng_;  // protected by rng_mu_

  std::mutex result_mu_;
  RunResult result_;  // protected by result_mu_

  std::mutex tasks_mu_;
  std::condition_variable tasks_cv_;                          // notified when tasks_ becomes empty
  std::map<std::uint64_t, std::shared_ptr<RealTask>> tasks_;  // live tasks by id
  std::vector<std::thread> finished_;                         // threads of ended tasks, to join

  std::atomic<std::uint64_t> task_ids_{0};
  std::atomic<std::uint64_t> switches_{0};
  std::atomic<std::uint64_t> spawned_{0};
  std::atomic<bool> main_done_{false};
  RealTask* main_task_ = nullptr;  // set before any other task exists
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_REAL_RUNTIME_H_
