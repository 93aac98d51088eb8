// The public runtime API (runtime.h, run.h) on top of the simulator's scheduler.
#include "labrpc/runtime/runtime.h"

#include <mutex>
#include <stdexcept>
#include <utility>

#include "labrpc/check.h"
#include "labrpc/runtime/group_impl.h"
#include "labrpc/runtime/run.h"
#include "labrpc/runtime/scheduler.h"

namespace lab {
namespace {

detail::Scheduler& Sched(const char* what) {
  detail::Scheduler* s = detail::Scheduler::Current();
  LAB_CHECK(s != nullptr && s->current() != nullptr,
            "{} must be called inside a run (a LAB_TEST body or a task it started)", what);
  return *s;
}

const std::string kEmpty;

}  // namespace

Clock::time_point Clock::now() { return Sched("lab::now").now(); }
TimePoint now() { return Clock::now(); }

double seconds_since_start() {
  return std::chrono::duration<double>(Sched("lab::seconds_since_start").now().time_since_epoch())
      .count();
}

std::shared_ptr<Group> Group::Create(std::string name) {
  detail::Scheduler& s = Sched("lab::Group::Create");
  return std::make_shared<detail::GroupImpl>(&s, s.NextGroupId(), std::move(name));
}

std::shared_ptr<Group> CurrentGroup() { return Sched("lab::CurrentGroup").current()->spawn_group; }

void InGroup(const std::shared_ptr<Group>& group, const std::function<void()>& fn) {
  detail::Task* task = Sched("lab::InGroup").current();
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
  detail::Scheduler& s = Sched("lab::go");
  s.Spawn(s.current()->spawn_group, std::move(task_name), std::move(body));
}

void sleep_for(Duration d) {
  detail::Scheduler& s = Sched("lab::sleep_for");
  detail::CancellationPoint();
  detail::InternalLock unused;
  std::unique_lock lock(unused);
  const TimePoint deadline = d.count() > 0 ? s.now() + d : s.now();
  if (d.count() <= 0) {
    s.Yield();
    return;
  }
  if (detail::Park(unused, {"sleep", 0, 0}, deadline, true) ==
      detail::WakeReason::kCancelled) {
    detail::ThrowCancelled();
  }
}

void yield() { Sched("lab::yield").Yield(); }

std::uint64_t rand() { return Sched("lab::rand").user_rng().Next(); }

std::int64_t rand_int(std::int64_t n) {
  LAB_CHECK(n > 0, "lab::rand_int({}): n must be positive", n);
  return static_cast<std::int64_t>(Sched("lab::rand_int").user_rng().Below(
      static_cast<std::uint64_t>(n)));
}

std::int64_t rand_range(std::int64_t lo, std::int64_t hi) {
  LAB_CHECK(lo <= hi, "lab::rand_range({}, {}): lo must not exceed hi", lo, hi);
  return lo + static_cast<std::int64_t>(Sched("lab::rand_range").user_rng().Below(
                  static_cast<std::uint64_t>(hi - lo) + 1));
}

Duration rand_duration(Duration lo, Duration hi) {
  return Duration(rand_range(lo.count(), hi.count()));
}

double rand_double() { return Sched("lab::rand_double").user_rng().Unit(); }

const std::string& CurrentTaskName() {
  detail::Scheduler* s = detail::Scheduler::Current();
  return s != nullptr && s->current() != nullptr ? s->current()->name : kEmpty;
}

const std::string& CurrentGroupName() {
  detail::Scheduler* s = detail::Scheduler::Current();
  return s != nullptr && s->current() != nullptr ? s->current()->group->name() : kEmpty;
}

bool InRun() {
  detail::Scheduler* s = detail::Scheduler::Current();
  return s != nullptr && s->current() != nullptr;
}

void Fatal(std::string message) {
  detail::Scheduler* s = detail::Scheduler::Current();
  if (s == nullptr || s->current() == nullptr) throw std::runtime_error(message);
  s->Fail(message);
  throw Cancelled{};
}

TaskScope::TaskScope(std::string name) : group_(Group::Create(std::move(name))) {}

TaskScope::~TaskScope() {
  group_->Cancel();
  // Uncancellable: a destructor must not throw, and the scope's state must outlive its tasks.
  static_cast<detail::GroupImpl&>(*group_).WaitImpl(false);
}

RunResult Run(const RunOptions& options, std::function<void()> main_task) {
  detail::Scheduler scheduler(options);
  return scheduler.Run(std::move(main_task));
}

void TraceEvent(std::string_view kind, std::string_view detail) {
  if (detail::Scheduler* s = detail::Scheduler::Current()) s->Trace(kind, detail);
}

namespace detail {
void RecordFailure(const std::string& message) {
  Scheduler* s = Scheduler::Current();
  LAB_CHECK(s != nullptr, "RecordFailure outside a run: {}", message);
  s->Fail(message);
}
}  // namespace detail

}  // namespace lab
