#include "labrpc/runtime/real_runtime.h"

#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "labrpc/check.h"
#include "labrpc/runtime/group_impl.h"
#include "labrpc/runtime/real_watchdog.h"

namespace lab::detail {
namespace {

// Timer callbacks only take a task's mutex and notify it: two threads are plenty, and the
// second keeps timers on time while the first waits for a busy task's mutex.
constexpr int kTimerThreads = 2;

RealTask* AsReal(Task* task) { return static_cast<RealTask*>(task); }

}  // namespace

RealRuntime::RealRuntime(const RunOptions& options)
    : Backend(options, /*simulated=*/false),
      start_(std::chrono::steady_clock::now()),
      user_rng_(options.seed ^ 0x5eed5eed5eedULL) {}

RealRuntime::~RealRuntime() = default;

RunResult RealRuntime::Run(std::function<void()> main_task) {
  LAB_CHECK(CurrentBackend() == nullptr, "lab::Run: a run is already active on this thread");
  timers_ = std::make_unique<RealTimers>(kTimerThreads);

  // The main task runs on this thread (Catch2 assertions in a test body stay on the thread
  // that runs Catch2). It is task 1 of group "tester", as in the simulator.
  auto tester = std::make_shared<GroupImpl>(this, NextGroupId(), "tester");
  auto main = std::make_shared<RealTask>();
  main->id = task_ids_.fetch_add(1) + 1;
  main->name = "main";
  main->group = tester;
  main->spawn_group = tester;
  main->body = std::move(main_task);
  main_task_ = main.get();
  tester->AddMember(main.get());
  {
    std::lock_guard lock(tasks_mu_);
    tasks_.emplace(main->id, main);
  }
  spawned_.fetch_add(1);

  {
    RealWatchdog watchdog(*this);
    SetCurrent(this, main.get());
    RunBody(main.get());
    Finish(main.get());  // cancels every task the test left behind
    SetCurrent(nullptr, nullptr);
    {
      std::unique_lock lock(tasks_mu_);
      tasks_cv_.wait(lock, [this] { return tasks_.empty(); });
    }
    JoinFinished();
  }  // the watchdog stops here
  main.reset();
  timers_.reset();  // every task destroyed its timer: this joins the timer threads

  std::lock_guard lock(result_mu_);
  if (result_.main_error && result_.ok) result_.ok = false;
  result_.trace_hash = 0;
  result_.virtual_time = Now().time_since_epoch();
  result_.switches = switches_.load();
  result_.tasks_spawned = spawned_.load();
  return std::move(result_);
}

Task* RealRuntime::Spawn(std::shared_ptr<GroupImpl> group, std::string name,
                         std::function<void()> body) {
  auto task = std::make_shared<RealTask>();
  task->id = task_ids_.fetch_add(1) + 1;
  task->name = std::move(name);
  task->spawn_group = group;
  task->group = std::move(group);
  task->body = std::move(body);
  task->group->AddMember(task.get());
  spawned_.fetch_add(1);
  JoinFinished();  // threads of ended tasks must not pile up (each holds its stack)
  std::string error;
  {
    std::lock_guard lock(tasks_mu_);
    tasks_.emplace(task->id, task);
    // Started under tasks_mu_, so the thread cannot reach Finish (which hands its std::thread
    // over under the same mutex) before `task->thread` is assigned.
    try {
      task->thread = std::thread([this, task] { TaskMain(task); });
    } catch (const std::system_error& e) {
      tasks_.erase(task->id);
      error = e.what();
    }
  }
  if (!error.empty()) {
    task->group->RemoveMember(task.get());
    Fail(fmt::format("cannot start a thread for task '{}': {} (too many live tasks?)", task->name,
                     error));
    ThrowCancelled();
  }
  return task.get();  // may have ended already: callers only use it as a token
}

void RealRuntime::TaskMain(const std::shared_ptr<RealTask>& task) {
  SetCurrent(this, task.get());
  RunBody(task.get());
  Finish(task.get());
  SetCurrent(nullptr, nullptr);
}

void RealRuntime::RunBody(RealTask* task) {
  {
    std::lock_guard lock(task->mu);
    task->state = Task::State::kRunning;
  }
  // The closure is destroyed here, by the task, even when the task was cancelled before it
  // started: RAII in captured objects (an RPC's completion, for example) still runs.
  std::function<void()> body = std::move(task->body);
  try {
    if (!ShouldCancel(task)) body();
  } catch (const Cancelled&) {
    // The normal end of a cancelled task.
  } catch (...) {
    if (task == main_task_) {
      std::lock_guard lock(result_mu_);
      result_.main_error = std::current_exception();
    } else {
      Fail(fmt::format("task '{}' (group '{}') threw {}", task->name, task->group->name(),
                       DescribeException(std::current_exception())));
    }
  }
}

void RealRuntime::Finish(RealTask* task) {
  task->timer.reset();  // withdraws a pending callback (the service delivers it as cancelled)
  {
    std::lock_guard lock(task->mu);
    task->state = Task::State::kDone;
  }
  task->group->RemoveMember(task);  // may wake Group::Wait: the task touches nothing of the
                                    // group's users after this line
  if (task == main_task_) {
    main_done_.store(true, std::memory_order_release);
    CancelEverything();  // the test is over: stop the tasks it left behind
  }
  std::lock_guard lock(tasks_mu_);
  finished_.push_back(std::move(task->thread));
  tasks_.erase(task->id);  // the caller still holds a reference
  if (tasks_.empty()) tasks_cv_.notify_all();
}

void RealRuntime::JoinFinished() {
  std::vector<std::thread> done;
  {
    std::lock_guard lock(tasks_mu_);
    done.swap(finished_);
  }
  // An ended task's thread only releases its references and returns: joining is quick.
  for (std::thread& t : done) {
    if (t.joinable()) t.join();
  }
}

WakeReason RealRuntime::Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline,
                             bool cancellable) {
  Task* current = CurrentTaskOrNull();
  LAB_CHECK(current != nullptr, "a lab primitive blocked outside a task");
  RealTask* task = AsReal(current);
  std::unique_lock task_lock(task->mu);
  task->park_cancellable = cancellable && !Unwinding();
  if (task->park_cancellable && ShouldCancel(task)) return WakeReason::kCancelled;
  if (deadline <= Now()) return WakeReason::kTimeout;
  task->state = Task::State::kParked;
  task->woken = false;
  task->wait = info;
  task->park_deadline = deadline;
  const std::uint64_t seq = ++task->park_seq;
  const bool timed = deadline != TimePoint::max();
  if (timed) {
    if (task->timer == nullptr) task->timer = std::make_unique<RealTimers::Timer>(*timers_);
    // The callback keeps the task alive: it may run after the task has ended.
    task->timer->Arm(ToSteady(deadline), [task = task->shared_from_this(), seq] {
      std::lock_guard timer_lock(task->mu);
      if (task->state != Task::State::kParked || task->woken || task->park_seq != seq) return;
      task->woken = true;
      task->wake_reason = WakeReason::kTimeout;
      task->cv.notify_one();
    });
  }
  lock.unlock();
  task->cv.wait(task_lock, [task] { return task->woken; });
  task->state = Task::State::kRunning;
  const WakeReason reason = task->wake_reason;
  task_lock.unlock();
  if (timed && reason != WakeReason::kTimeout) task->timer->Cancel();
  task->activity.fetch_add(1, std::memory_order_relaxed);
  switches_.fetch_add(1, std::memory_order_relaxed);
  lock.lock();
  return reason;
}

void RealRuntime::Wake(Task* t, WakeReason reason) {
  RealTask* task = AsReal(t);
  std::lock_guard lock(task->mu);
  if (task->state != Task::State::kParked || task->woken) return;
  if (reason == WakeReason::kCancelled && !task->park_cancellable) return;
  task->woken = true;
  task->wake_reason = reason;
  task->cv.notify_one();  // under the lock: see the file comment of real_runtime.h
}

void RealRuntime::Yield() {
  Task* current = CurrentTaskOrNull();
  LAB_CHECK(current != nullptr, "lab::yield called outside a task");
  std::this_thread::yield();
  AsReal(current)->activity.fetch_add(1, std::memory_order_relaxed);
  switches_.fetch_add(1, std::memory_order_relaxed);
}

TimePoint RealRuntime::Now() const {
  return TimePoint(std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start_));
}

std::uint64_t RealRuntime::RandNext() {
  std::lock_guard lock(rng_mu_);
  return user_rng_.Next();
}

std::uint64_t RealRuntime::RandBelow(std::uint64_t n) {
  std::lock_guard lock(rng_mu_);
  return user_rng_.Below(n);
}

double RealRuntime::RandUnit() {
  std::lock_guard lock(rng_mu_);
  return user_rng_.Unit();
}

void RealRuntime::Fail(const std::string& message) {
  {
    std::lock_guard lock(result_mu_);
    if (result_.ok) {
      result_.ok = false;
      result_.failure = message;
    }
  }
  CancelEverything();
}

std::string RealRuntime::first_failure() {
  std::lock_guard lock(result_mu_);
  return result_.failure;
}

void RealRuntime::CancelEverything() {
  if (MarkAllCancelled()) InterruptCancelled(nullptr);
}

void RealRuntime::InterruptCancelled(const GroupImpl* group) {
  std::lock_guard lock(tasks_mu_);
  for (auto& [id, task] : tasks_) {
    if (group == nullptr || task->group.get() == group) Wake(task.get(), WakeReason::kCancelled);
  }
}

std::vector<RealRuntime::Probe> RealRuntime::ProbeTasks() {
  std::vector<Probe> probes;
  std::lock_guard lock(tasks_mu_);
  probes.reserve(tasks_.size());
  for (auto& [id, task] : tasks_) {
    Probe p;
    p.task = task;
    p.activity = task->activity.load(std::memory_order_relaxed);
    std::lock_guard task_lock(task->mu);
    const bool parked = task->state == Task::State::kParked && !task->woken;
    p.running = task->state == Task::State::kRunning ||
                (task->state == Task::State::kParked && task->woken);
    p.parked_for_ever = parked && task->park_deadline == TimePoint::max();
    probes.push_back(std::move(p));
  }
  return probes;
}

std::string RealRuntime::DumpTasks() {
  std::vector<TaskSnapshot> snapshot;
  {
    std::lock_guard lock(tasks_mu_);
    for (auto& [id, task] : tasks_) {
      std::lock_guard task_lock(task->mu);
      Task::State state = task->state;
      if (state == Task::State::kParked && task->woken) state = Task::State::kRunning;
      snapshot.push_back(TaskSnapshot{id, task->name, task->group->name(), state, task->wait,
                                      task->park_deadline});
    }
  }
  return FormatTaskDump(fmt::format("tasks at {:.3f} s of real time (seed {}, real backend):\n",
                                    Now().time_since_epoch().count() / 1e9, options_.seed),
                        snapshot);
}

void RealRuntime::AbortStuck(const std::string& why) {
  const std::string dump = DumpTasks();
  const std::string failure = first_failure();
  std::fprintf(stderr, "\nlab runtime: %s\n%s", why.c_str(), dump.c_str());
  if (!failure.empty()) std::fprintf(stderr, "the run had failed first with: %s\n", failure.c_str());
  if (!options_.replay_command.empty()) {
    std::fprintf(stderr, "replay with: %s\n", options_.replay_command.c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace lab::detail
