// The public runtime API (runtime.h, run.h), dispatched to the backend of the calling task.
#include "labrpc/runtime/runtime.h"

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "labrpc/check.h"
#include "labrpc/runtime/backend.h"
#include "labrpc/runtime/group_impl.h"
#include "labrpc/runtime/real_runtime.h"
#include "labrpc/runtime/run.h"
#include "labrpc/runtime/scheduler.h"

namespace lab {
namespace {

// The calling task's backend; fails with a clear message outside a run.
detail::Backend& Current(const char* what) {
  detail::Backend* b = detail::CurrentBackend();
  LAB_CHECK(b != nullptr && detail::CurrentTaskOrNull() != nullptr,
            "{} must be called inside a run (a LAB_TEST body or a task it started)", what);
  return *b;
}

const std::string kEmpty;

std::atomic<BackendKind> default_backend{BackendKind::kSimulated};

}  // namespace

BackendKind DefaultBackend() { return default_backend.load(std::memory_order_relaxed); }
void SetDefaultBackend(BackendKind kind) { default_backend.store(kind, std::memory_order_relaxed); }
const char* BackendName(BackendKind kind) {
  return kind == BackendKind::kReal ? "real" : "simulated";
}

Clock::time_point Clock::now() { return Current("lab::now").Now(); }
TimePoint now() { return Clock::now(); }

double seconds_since_start() {
  return std::chrono::duration<double>(Current("lab::seconds_since_start").Now().time_since_epoch())
      .count();
}

std::shared_ptr<Group> Group::Create(std::string name) {
  detail::Backend& b = Current("lab::Group::Create");
  return std::make_shared<detail::GroupImpl>(&b, b.NextGroupId(), std::move(name));
}

std::shared_ptr<Group> CurrentGroup() {
  Current("lab::CurrentGroup");
  return detail::CurrentTaskOrNull()->spawn_group;
}

void InGroup(const std::shared_ptr<Group>& group, const std::function<void()>& fn) {
  Current("lab::InGroup");
  detail::Task* task = detail::CurrentTaskOrNull();
  auto impl = std::dynamic_pointer_cast<detail::GroupImpl>(group);
  LAB_CHECK(impl != nullptr, "lab::InGroup: not a group of this runtime");
  std::shared_ptr<detail::GroupImpl> saved = std::exchange(task->spawn_group, std::move(impl));
  struct Restore {
    detail::Task* task;
    std::shared_ptr<detail::GroupImpl>& saved;
    ~Restore() { task->spawn_group = std::move(saved); }
  } restore{task, saved};
  fn();
}

void go(std::function<void()> body) { go("task", std::move(body)); }

void go(std::string task_name, std::function<void()> body) {
  detail::Backend& b = Current("lab::go");
  b.Spawn(detail::CurrentTaskOrNull()->spawn_group, std::move(task_name), std::move(body));
}

void sleep_for(Duration d) {
  detail::Backend& b = Current("lab::sleep_for");
  detail::CancellationPoint();
  if (d.count() <= 0) {
    b.Yield();
    return;
  }
  detail::InternalLock unused;
  std::unique_lock lock(unused);
  if (detail::Park(unused, {"sleep", 0, nullptr}, b.Now() + d, true) ==
      detail::WakeReason::kCancelled) {
    detail::ThrowCancelled();
  }
}

void yield() { Current("lab::yield").Yield(); }

std::uint64_t rand() { return Current("lab::rand").RandNext(); }

std::int64_t rand_int(std::int64_t n) {
  LAB_CHECK(n > 0, "lab::rand_int({}): n must be positive", n);
  return static_cast<std::int64_t>(
      Current("lab::rand_int").RandBelow(static_cast<std::uint64_t>(n)));
}

std::int64_t rand_range(std::int64_t lo, std::int64_t hi) {
  LAB_CHECK(lo <= hi, "lab::rand_range({}, {}): lo must not exceed hi", lo, hi);
  return lo + static_cast<std::int64_t>(
                  Current("lab::rand_range").RandBelow(static_cast<std::uint64_t>(hi - lo) + 1));
}

Duration rand_duration(Duration lo, Duration hi) {
  return Duration(rand_range(lo.count(), hi.count()));
}

double rand_double() { return Current("lab::rand_double").RandUnit(); }

const std::string& CurrentTaskName() {
  const detail::Task* task = detail::CurrentTaskOrNull();
  return task != nullptr ? task->name : kEmpty;
}

const std::string& CurrentGroupName() {
  const detail::Task* task = detail::CurrentTaskOrNull();
  return task != nullptr ? task->group->name() : kEmpty;
}

bool InRun() { return detail::CurrentTaskOrNull() != nullptr; }

void Fatal(std::string message) {
  detail::Backend* b = detail::CurrentBackend();
  if (b == nullptr || detail::CurrentTaskOrNull() == nullptr) throw std::runtime_error(message);
  b->Fail(message);
  throw Cancelled{};
}

std::string DescribeTasks() {
  detail::Backend* b = detail::CurrentBackend();
  return b != nullptr && detail::CurrentTaskOrNull() != nullptr ? b->DumpTasks() : "";
}

TaskScope::TaskScope(std::string name) : group_(Group::Create(std::move(name))) {}

void WaitEvenIfCancelled(Group& group) { static_cast<detail::GroupImpl&>(group).WaitImpl(false); }

TaskScope::~TaskScope() {
  group_->Cancel();
  // Uncancellable: a destructor must not throw, and the scope's state must outlive its tasks.
  WaitEvenIfCancelled(*group_);
}

RunResult Run(const RunOptions& options, std::function<void()> main_task) {
  if (options.backend == BackendKind::kReal) {
    detail::RealRuntime runtime(options);
    return runtime.Run(std::move(main_task));
  }
  detail::Scheduler scheduler(options);
  return scheduler.Run(std::move(main_task));
}

void TraceEvent(std::string_view kind, std::string_view detail) {
  if (detail::Backend* b = detail::CurrentBackend()) b->Trace(kind, detail);
}

namespace detail {
void RecordFailure(const std::string& message) {
  Backend* b = CurrentBackend();
  LAB_CHECK(b != nullptr, "RecordFailure outside a run: {}", message);
  b->Fail(message);
}
}  // namespace detail

}  // namespace lab
