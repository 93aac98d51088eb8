// The lab runtime: tasks, task groups, time and randomness for student code.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Student code is plain blocking C++ written the way the Go labs are written:
//
//   lab::go("ticker", [this] { Ticker(); });       // go rf.ticker()
//   lab::sleep_for(std::chrono::milliseconds(50)); // time.Sleep(50 * time.Millisecond)
//   lab::TimePoint t = lab::now();                 // time.Now()
//   int64_t r = lab::rand_int(300);                // rand.Intn(300)
//
// Everything runs inside a *run* (lab::Run, started by the test glue in testing/test.h). In
// the simulator every task of a run is a fiber on one OS thread, the scheduler picks the next
// runnable task with the run's seeded random generator, and time is virtual: when no task can
// run, the clock jumps to the next timer. The same seed therefore gives the same execution.
// On the real backend (--real; docs/architecture.md, "Backends") the same code runs with one OS
// thread per task and a real clock, for ThreadSanitizer; runs are then not reproducible.
//
// Tasks and groups. Every task belongs to a Group (a simulated server, or the tester itself).
// lab::go starts the task in the caller's group. Cancelling a group makes each of its tasks
// throw lab::Cancelled at its next blocking point (lock, wait, channel operation, sleep, RPC
// call, Group::Wait); RAII releases what the task held. Group::CancelAndWait returns only when
// no task of the group remains, so the objects those tasks use can then be destroyed safely.
// Cancellation is sticky: a task that swallows Cancelled with catch (...) gets it again at its
// next blocking point. Cancelled deliberately does not derive from std::exception.
//
// Thread safety: all functions here may be called from any task of the run. None may be called
// outside a run (LAB_CHECK fails with a message saying so).
#ifndef LABRPC_RUNTIME_RUNTIME_H_
#define LABRPC_RUNTIME_RUNTIME_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace lab {

// The clock of the run: virtual in the simulator, steady_clock on the real backend.
// It starts at zero when the run starts.
struct Clock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<Clock>;
  static constexpr bool is_steady = true;
  static time_point now();
};
using Duration = Clock::duration;
using TimePoint = Clock::time_point;

// Thrown at a blocking point of a task whose group was cancelled. Never derived from
// std::exception, so `catch (const std::exception&)` does not swallow it by accident.
struct Cancelled {};

// Task group (a simulated server, a client, the tester). Shared ownership: tasks keep their
// group alive. Create groups only inside a run.
class Group {
 public:
  // A new, empty group. `name` appears in traces, deadlock dumps and the debug log.
  static std::shared_ptr<Group> Create(std::string name);
  virtual ~Group() = default;

  virtual const std::string& name() const = 0;
  // Starts a task in this group. A task started in a cancelled group never runs its body, but
  // its closure is still destroyed (so RAII in captured objects completes).
  virtual void Go(std::string task_name, std::function<void()> body) = 0;
  // Asks every task of the group to stop (see the file comment). Does not block. Idempotent.
  virtual void Cancel() = 0;
  // Blocks until the group has no live task. REQUIRES: the caller is not in this group.
  virtual void Wait() = 0;
  void CancelAndWait() {
    Cancel();
    Wait();
  }
  virtual bool cancelled() const = 0;
  virtual int live_tasks() const = 0;
};

// The current task's group.
std::shared_ptr<Group> CurrentGroup();

// Runs `fn` in the calling task, but with `group` as the current group: tasks that `fn`
// starts (and their descendants) belong to `group`. Testers build a server this way, so that
// crashing the server's group stops every task the server started:
//   lab::InGroup(server_group, [&] { raft = std::make_unique<Raft>(...); });
void InGroup(const std::shared_ptr<Group>& group, const std::function<void()>& fn);

// Starts `body` as a new task in the caller's group (Go's `go` statement).
void go(std::function<void()> body);
void go(std::string task_name, std::function<void()> body);

// Blocks the task for `d` of the run's clock. Throws Cancelled if the group is cancelled.
void sleep_for(Duration d);
template <class Rep, class Period>
void sleep_for(std::chrono::duration<Rep, Period> d) {
  sleep_for(std::chrono::duration_cast<Duration>(d));
}
TimePoint now();
// Time since the run started, in seconds (for progress lines and logs).
double seconds_since_start();

// Lets other runnable tasks run. Never needed for correctness; a preemption point.
void yield();

// Seeded randomness (Go's math/rand). Every value derives from the run's seed.
std::uint64_t rand();                                       // uniform over all 64-bit values
std::int64_t rand_int(std::int64_t n);                      // uniform in [0, n). REQUIRES: n > 0
std::int64_t rand_range(std::int64_t lo, std::int64_t hi);  // uniform in [lo, hi]
Duration rand_duration(Duration lo, Duration hi);           // uniform in [lo, hi]
double rand_double();                                       // uniform in [0, 1)

// Name of the current task and of its group ("" outside a run); used by logs and checks.
const std::string& CurrentTaskName();
const std::string& CurrentGroupName();
bool InRun();

// Ends the whole run with a failure: records `message` (the first one wins), cancels every
// task, and unwinds the calling task at once (like Go's t.Fatalf). Safe from any task; the
// test's main task reports the message with the seed and the replay command.
[[noreturn]] void Fatal(std::string message);

// Every live task of the run, one per line, with its group, its state and what it waits on
// (which mutex and its holder, which channel or condition variable, until when): the dump a
// deadlock prints, for failure reports of a test that merely stopped making progress, such
// as a time limit. "" outside a run.
std::string DescribeTasks();

// Blocks until `group` has no live task, like Group::Wait, but never throws lab::Cancelled:
// for cleanup code (a tester's destructor, a failing run) that must not destroy what a
// group's tasks use while one of them may still run. REQUIRES: the caller is not in `group`.
void WaitEvenIfCancelled(Group& group);

// Keeps the tasks that use a scope's locals from outliving them. Declare it *after* the
// state its tasks use: its destructor cancels its tasks and waits for them, so they are gone
// before that state is destroyed.
//
//   std::vector<int> results;   // shared state
//   lab::TaskScope scope("workers");
//   scope.Go("worker", [&] { results.push_back(1); });
class TaskScope {
 public:
  explicit TaskScope(std::string name);
  ~TaskScope();
  TaskScope(const TaskScope&) = delete;
  TaskScope& operator=(const TaskScope&) = delete;
  void Go(std::string task_name, std::function<void()> body) {
    group_->Go(std::move(task_name), std::move(body));
  }
  // Waits for the tasks to finish on their own (without cancelling them).
  void Wait() { group_->Wait(); }
  const std::shared_ptr<Group>& group() const { return group_; }

 private:
  std::shared_ptr<Group> group_;
};

}  // namespace lab

#endif  // LABRPC_RUNTIME_RUNTIME_H_
