#include "labrpc/runtime/real_runtime.h"

#include <pthread.h>

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

RealTask* AsReal(Task* task) { return static_cast<RealTask*>(task); }

}  // namespace

RealRuntime::RealRuntime(const RunOptions& options)
    : Backend(options, /*simulated=*/false),
      start_(std::chrono::steady_clock::now()),
      user_rng_(options.seed ^ 0x5eed5eed5eedULL) {}

RealRuntime::~RealRuntime() = default;

RunResult RealRuntime::Run(std::function<void()> main_task) {
  LAB_CHECK(CurrentBackend() == nullptr, "lab::Run: a run is already active on this thread");

  // The main task runs on this thread (Catch2 assertions in a test body stay on the thread
  // that runs Catch2). It is task 1 of group "tester", as in the simulator.
  auto tester = std::make_shared<GroupImpl>(this, NextGroupId(), "tester");
  auto main = std::make_shared<RealTask>();
  main->id = task_ids_.fetch_add(1, std::memory_order_relaxed) + 1;
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
  spawned_.fetch_add(1, std::memory_order_relaxed);

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

  std::lock_guard lock(result_mu_);
  if (result_.main_error && result_.ok) result_.ok = false;
  result_.trace_hash = 0;
  result_.virtual_time = Now().time_since_epoch();
  result_.switches = switches_.load(std::memory_order_relaxed);
  result_.tasks_spawned = spawned_.load(std::memory_order_relaxed);
  return std::move(result_);
}

Task* RealRuntime::Spawn(std::shared_ptr<GroupImpl> group, std::string name,
                         std::function<void()> body) {
  auto task = std::make_shared<RealTask>();
  task->id = task_ids_.fetch_add(1, std::memory_order_relaxed) + 1;
  task->name = std::move(name);
  task->spawn_group = group;
  task->group = std::move(group);
  task->body = std::move(body);
  task->group->AddMember(task.get());
  spawned_.fetch_add(1, std::memory_order_relaxed);
  // Spawning is progress for the watchdog: a task that starts many threads (slow under
  // ThreadSanitizer) is not in a busy loop.
  if (Task* spawner = CurrentTaskOrNull()) {
    AsReal(spawner)->probe.fetch_add(RealTask::kProbeProgress, std::memory_order_relaxed);
  }
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
  // The thread carries the task's name (at most 15 characters): gdb, top -H and
  // ThreadSanitizer's reports show it.
  pthread_setname_np(pthread_self(), task->name.substr(0, 15).c_str());
  SetCurrent(this, task.get());
  RunBody(task.get());
  Finish(task.get());
  SetCurrent(nullptr, nullptr);
}

void RealRuntime::RunBody(RealTask* task) {
  {
    std::lock_guard lock(task->mu);
    task->state = Task::State::kRunning;
    task->SetProbe(RealTask::kProbeRunning, true);
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
  {
    std::lock_guard lock(task->mu);
    task->state = Task::State::kDone;
    task->SetProbe(RealTask::kProbeDone, true);
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
  const bool timed = deadline != TimePoint::max();
  task->state = Task::State::kParked;
  task->woken = false;
  task->wait = info;
  task->park_deadline = deadline;
  ++task->park_seq;
  task->SetProbe(timed ? RealTask::kProbeParkedTimed : RealTask::kProbeParkedForEver, false);
  lock.unlock();
  if (timed) {
    const auto until = ToSteady(deadline);
    while (!task->woken) {
      if (task->cv.wait_until(task_lock, until) == std::cv_status::timeout && !task->woken) {
        task->woken = true;  // nothing else came first: the deadline decides
        task->wake_reason = WakeReason::kTimeout;
      }
    }
  } else {
    task->cv.wait(task_lock, [task] { return task->woken; });
  }
  task->state = Task::State::kRunning;
  task->SetProbe(RealTask::kProbeRunning, true);
  const WakeReason reason = task->wake_reason;
  task_lock.unlock();
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
  task->SetProbe(RealTask::kProbeRunning, false);
  task->cv.notify_one();  // under the lock: see the file comment of real_runtime.h
}

void RealRuntime::Yield() {
  Task* current = CurrentTaskOrNull();
  LAB_CHECK(current != nullptr, "lab::yield called outside a task");
  std::this_thread::yield();
  AsReal(current)->probe.fetch_add(RealTask::kProbeProgress, std::memory_order_relaxed);
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
    p.id = id;
    p.word = task->probe.load(std::memory_order_relaxed);
    if ((p.word & RealTask::kProbeStateMask) == RealTask::kProbeRunning) p.name = task->name;
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
      snapshot.push_back(SnapshotOf(*task, state));
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
  if (!failure.empty())
    std::fprintf(stderr, "the run had failed first with: %s\n", failure.c_str());
  if (!options_.replay_command.empty()) {
    std::fprintf(stderr, "replay with: %s\n", options_.replay_command.c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace lab::detail
