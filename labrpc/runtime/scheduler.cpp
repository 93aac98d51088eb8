#include "labrpc/runtime/scheduler.h"

#include <cxxabi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <typeinfo>
#include <utility>

#include <fmt/format.h>

#include "labrpc/check.h"
#include "labrpc/runtime/group_impl.h"
#include "labrpc/runtime/stack_pool.h"
#include "labrpc/runtime/watchdog.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define LAB_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define LAB_TSAN 1
#endif

namespace lab::detail {
namespace {

// libstdc++ keeps the stack of caught exceptions and the count of uncaught ones per OS thread.
// Every task needs its own: a task blocked inside a catch block must not see the exception of
// another task that blocks in its own catch block. The layout is the Itanium C++ ABI's.
struct CxaEhGlobals {
  void* caught_exceptions;
  unsigned int uncaught_exceptions;
};
void SwapEhState(EhState& save_to, const EhState& load_from) {
  auto* globals = reinterpret_cast<CxaEhGlobals*>(abi::__cxa_get_globals());
  save_to.caught_exceptions = globals->caught_exceptions;
  save_to.uncaught_exceptions = globals->uncaught_exceptions;
  globals->caught_exceptions = load_from.caught_exceptions;
  globals->uncaught_exceptions = load_from.uncaught_exceptions;
}

std::uint64_t Mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0x100000001b3ULL;
  return h;
}

std::size_t StackSizeFromEnv(std::size_t fallback) {
  if (const char* kb = std::getenv("LAB_STACK_KB")) {
    const long value = std::strtol(kb, nullptr, 10);
    if (value >= 64) return static_cast<std::size_t>(value) * 1024;
    std::fprintf(stderr, "LAB_STACK_KB=%s ignored: must be a number of KiB >= 64\n", kb);
  }
  return fallback;
}

}  // namespace

Scheduler::Scheduler(const RunOptions& options)
    : Backend(options, /*simulated=*/true),
      sched_rng_(options.seed),
      user_rng_(options.seed ^ 0x5eed5eed5eedULL),
      plan_(ResolveStrategy(options.strategy, options.seed)),
      strategy_rng_(options.seed ^ 0x6a177e12ULL) {
  options_.stack_size = StackSizeFromEnv(options.stack_size);
}

Scheduler::~Scheduler() = default;

Task* Scheduler::Spawn(std::shared_ptr<GroupImpl> group, std::string name,
                       std::function<void()> body) {
  auto owned = std::make_unique<SimTask>();
  SimTask* task = owned.get();
  task->id = ++task_ids_;
  task->name = std::move(name);
  task->spawn_group = group;
  task->group = std::move(group);
  task->body = std::move(body);
  StackPool stacks(options_.stack_size, &task->stack_bottom, &task->stack_size);
  task->fiber =
      boost::context::fiber(std::allocator_arg, stacks, [this, task](boost::context::fiber&& sink) {
        task->sink = std::move(sink);
        TaskMain(this, task);
        return std::move(task->sink);
      });
#if defined(LAB_TSAN)
  task->tsan_fiber = __tsan_create_fiber(0);
#endif
  task->group->AddMember(task);
  if (plan_.pct)
    task->priority = (std::uint64_t{1} << 62) + strategy_rng_.Below(std::uint64_t{1} << 62);
  tasks_.emplace(task->id, std::move(owned));
  runnable_.push_back(task);
  ++result_.tasks_spawned;
  Trace("spawn", fmt::format("{} '{}' in {}", task->id, task->name, task->group->name()));
  return task;
}

void Scheduler::TaskMain(Scheduler* self, SimTask* task) {
#if defined(LAB_ASAN)
  __sanitizer_finish_switch_fiber(nullptr, &self->scheduler_stack_bottom_,
                                  &self->scheduler_stack_size_);
#endif
  {
    // The closure is destroyed here, on the task's own stack and as the task, even when the
    // task was cancelled before it first ran: RAII in captured objects (an RPC's completion,
    // for example) still runs.
    std::function<void()> body = std::move(task->body);
    try {
      if (!self->ShouldCancel(task)) body();
    } catch (const boost::context::detail::forced_unwind&) {
      throw;
    } catch (const Cancelled&) {
      // The normal end of a cancelled task.
    } catch (...) {
      if (task == self->main_task_) {
        self->result_.main_error = std::current_exception();
      } else {
        self->Fail(fmt::format("task '{}' (group '{}') threw {}", task->name, task->group->name(),
                               DescribeException(std::current_exception())));
      }
    }
  }
  task->state = Task::State::kDone;
#if defined(LAB_ASAN)
  __sanitizer_start_switch_fiber(nullptr, self->scheduler_stack_bottom_,
                                 self->scheduler_stack_size_);
#endif
  // ThreadSanitizer is switched back to the scheduler's fiber by Resume, once this fiber has
  // really ended: the instrumented epilogues of this function and of the fiber's lambda still
  // run here and must pop this fiber's shadow stack, not the scheduler's (switching here
  // underflowed the scheduler's shadow stack and crashed TSan a few runs later).
}

void Scheduler::Resume(SimTask* task) {
  current_ = task;
  SetCurrentTask(task);
  task->state = Task::State::kRunning;
  Watchdog::TaskStarted(task->name.c_str());
  SwapEhState(scheduler_eh_, task->eh);
#if defined(LAB_ASAN)
  __sanitizer_start_switch_fiber(&scheduler_fake_stack_, task->stack_bottom, task->stack_size);
#endif
#if defined(LAB_TSAN)
  __tsan_switch_to_fiber(task->tsan_fiber, 0);
#endif
  task->fiber = std::move(task->fiber).resume();
#if defined(LAB_ASAN)
  __sanitizer_finish_switch_fiber(scheduler_fake_stack_, nullptr, nullptr);
#endif
#if defined(LAB_TSAN)
  if (!task->fiber) __tsan_switch_to_fiber(scheduler_tsan_fiber_, 0);  // see TaskMain
#endif
  SwapEhState(task->eh, scheduler_eh_);
  Watchdog::TaskStopped();
  current_ = nullptr;
  SetCurrentTask(nullptr);
  ++result_.switches;
  if (counting_still_runs_) {
    // Only once a check found the clock standing still: the report names the busiest tasks.
    if (task->still_window != still_window_) {
      task->still_window = still_window_;
      task->still_runs = 0;
    }
    ++task->still_runs;
  }
  if (!task->fiber) Reap(task);
  if (--switches_to_check_ == 0) CheckClockMoves();
}

void Scheduler::StartStillWindow() {
  ++still_window_;
  counting_still_runs_ = false;
  still_clock_ = now_;
  still_switches_ = result_.switches;
  still_real_start_ = std::chrono::steady_clock::now();
}

void Scheduler::CheckClockMoves() {
  switches_to_check_ = kStillCheckInterval;
  if (now_ != still_clock_) {
    StartStillWindow();
    return;
  }
  counting_still_runs_ = true;
  if (result_.switches - still_switches_ < options_.livelock_switches) return;
  const double real_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - still_real_start_).count();
  if (real_seconds < options_.livelock_seconds) return;
  const std::string report = LivelockReport(real_seconds);
  if (run_cancelled()) {
    // The tasks keep polling after the run was cancelled: they never reach a blocking point
    // that could throw lab::Cancelled (a loop around lab::yield, for example).
    AbortStuck("tasks still running after the run was cancelled, " + report);
  }
  Fail(report);
  StartStillWindow();  // the cancelled tasks get a whole window to unwind
}

std::string Scheduler::LivelockReport(double real_seconds) {
  std::vector<const SimTask*> busiest;
  for (const auto& [id, task] : tasks_) {
    if (task->still_window == still_window_) busiest.push_back(task.get());
  }
  std::stable_sort(busiest.begin(), busiest.end(), [](const SimTask* a, const SimTask* b) {
    return a->still_runs > b->still_runs;
  });
  std::string top;
  for (std::size_t i = 0; i < busiest.size() && i < 3; ++i) {
    top += fmt::format("  task {} '{}' [group {}]: ran {} times\n", busiest[i]->id,
                       busiest[i]->name, busiest[i]->group->name(), busiest[i]->still_runs);
  }
  return fmt::format(
      "livelock: the virtual clock has stood still at {:.3f} s for {} task switches ({:.1f} s "
      "of real time). Tasks keep running, but none waits for time to pass, so no timer (a "
      "sleep, an RPC delay, an election timeout, the test's time limit) can ever fire.\n"
      "Usual causes:\n"
      "  - a loop that polls shared state without lab::sleep_for (for example a ticker that "
      "locks mu_, checks, unlocks and loops at once): sleep a few milliseconds each round, or "
      "wait on a lab::CondVar;\n"
      "  - a real std::this_thread::sleep_for, or another real blocking call, in simulated "
      "code: use lab::sleep_for, lab::CondVar::wait_for or a lab::Chan.\n"
      "The tasks that ran most while the clock stood still:\n{}{}",
      now_.time_since_epoch().count() / 1e9, result_.switches - still_switches_, real_seconds, top,
      DumpTasks());
}

void Scheduler::SwitchToScheduler(SimTask* task) {
#if defined(LAB_ASAN)
  __sanitizer_start_switch_fiber(&task->asan_fake_stack, scheduler_stack_bottom_,
                                 scheduler_stack_size_);
#endif
#if defined(LAB_TSAN)
  __tsan_switch_to_fiber(scheduler_tsan_fiber_, 0);
#endif
  task->sink = std::move(task->sink).resume();
#if defined(LAB_ASAN)
  __sanitizer_finish_switch_fiber(task->asan_fake_stack, &scheduler_stack_bottom_,
                                  &scheduler_stack_size_);
#endif
}

void Scheduler::Reap(SimTask* task) {
  Trace("exit", fmt::format("{}", task->id));
#if defined(LAB_TSAN)
  __tsan_destroy_fiber(task->tsan_fiber);
#endif
  task->group->RemoveMember(task);
  if (task == main_task_) {
    main_done_ = true;
    main_task_ = nullptr;
    CancelEverything();  // the test is over: stop the tasks it left behind
  }
  tasks_.erase(task->id);
}

WakeReason Scheduler::Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline,
                           bool cancellable) {
  SimTask* task = current_;
  LAB_CHECK(task != nullptr, "a lab primitive blocked outside a task");
  task->park_cancellable = cancellable && !Unwinding();
  if (task->park_cancellable && ShouldCancel(task)) return WakeReason::kCancelled;
  if (deadline <= now_) return WakeReason::kTimeout;
  if (plan_.jitter && deadline != TimePoint::max()) {
    // Late, never early (strategy.h). A deadline this close to the end of time stays put.
    const Duration late(strategy_rng_.Below(plan_.timer_jitter.count() + 1));
    if (deadline < TimePoint::max() - late) deadline += late;
  }
  task->state = Task::State::kParked;
  task->wait = info;
  task->park_deadline = deadline;
  ++task->park_seq;
  if (deadline != TimePoint::max()) {
    timers_.push(Timer{deadline, ++timer_seq_, task->id, task->park_seq});
  }
  lock.unlock();
  SwitchToScheduler(task);
  lock.lock();
  return task->wake_reason;
}

void Scheduler::Wake(Task* task, WakeReason reason) {
  if (task->state != Task::State::kParked) return;
  task->state = Task::State::kRunnable;
  task->wake_reason = reason;
  runnable_.push_back(static_cast<SimTask*>(task));
}

void Scheduler::YieldImpl(bool demote) {
  SimTask* task = current_;
  LAB_CHECK(task != nullptr, "lab::yield called outside a task");
  task->state = Task::State::kRunnable;
  if (demote) Demote(task);  // pct: a task polling with lab::yield must not starve the others
  runnable_.push_back(task);
  SwitchToScheduler(task);
}

Duration Scheduler::MessageJitter() {
  if (!plan_.jitter) return Duration::zero();
  return Duration(strategy_rng_.Below(plan_.message_jitter.count() + 1));
}

void Scheduler::Demote(SimTask* task) { task->priority = --next_low_priority_; }

std::size_t Scheduler::PickRunnable() {
  // Strict priorities are unfair: with the clock standing still, a cycle of high-priority
  // tasks can run for ever (a tester's client that finds its entry committed before it looks,
  // every time, at one instant, because the network delivers in no time). A real machine, or
  // the uniform picks, would break such a cycle, so after kPctFairSwitches switches at one
  // instant the picks are uniform until the clock moves: pct only ever chooses among orders
  // that a fair scheduler may produce.
  if (!plan_.pct || result_.switches - clock_moved_at_switch_ > kPctFairSwitches) {
    return sched_rng_.Below(runnable_.size());
  }
  auto highest = [this] {
    std::size_t best = 0;
    for (std::size_t i = 1; i < runnable_.size(); ++i) {
      const SimTask* a = runnable_[i];
      const SimTask* b = runnable_[best];
      if (a->priority > b->priority || (a->priority == b->priority && a->id < b->id)) best = i;
    }
    return best;
  };
  std::size_t pick = highest();
  if (now_ >= next_change_) {
    // A change point: the task about to run drops below every other, and the next change
    // point comes after an exponentially distributed gap (a Poisson process in virtual time).
    if (next_change_ != TimePoint{}) {
      Demote(runnable_[pick]);
      pick = highest();
    }
    const double gap =
        -std::log(1.0 - strategy_rng_.Unit()) * static_cast<double>(plan_.pct_change_gap.count());
    next_change_ = now_ + Duration(static_cast<Duration::rep>(gap) + 1);
  }
  return pick;
}

void Scheduler::InterruptCancelled(const GroupImpl* group) {
  // Ordered by task id, so the wake order is deterministic.
  for (auto& [id, task] : tasks_) {
    if (group != nullptr && task->group.get() != group) continue;
    if (task->state == Task::State::kParked && task->park_cancellable) {
      Wake(task.get(), WakeReason::kCancelled);
    }
  }
}

void Scheduler::CancelEverything() {
  if (!MarkAllCancelled()) return;
  Trace("cancel-all", "");
  InterruptCancelled(nullptr);
}

void Scheduler::Fail(const std::string& message) {
  Trace("fail", message);
  if (result_.ok) {
    result_.ok = false;
    result_.failure = message;
  }
  CancelEverything();
}

void Scheduler::Trace(std::string_view kind, std::string_view detail) {
  hash_ = Mix(hash_, std::hash<std::string_view>{}(kind));
  hash_ = Mix(hash_, std::hash<std::string_view>{}(detail));
  if (options_.record_trace) {
    result_.trace.push_back(
        fmt::format("{:>12.6f}s {} {}", now_.time_since_epoch().count() / 1e9, kind, detail));
  }
}

bool Scheduler::FireTimers() {
  // Skip timers of waits that already ended (invariant 3), without moving the clock.
  while (!timers_.empty() && TimerTask(timers_.top()) == nullptr) timers_.pop();
  if (timers_.empty()) return false;
  const TimePoint when = timers_.top().when;
  if (when.time_since_epoch() > options_.virtual_time_limit && !run_cancelled()) {
    Fail(fmt::format("the run passed its virtual time limit of {:g} s",
                     options_.virtual_time_limit.count() / 1e9));
    return true;
  }
  if (when > now_) {
    now_ = when;
    clock_moved_at_switch_ = result_.switches;
    hash_ = Mix(hash_, static_cast<std::uint64_t>(now_.time_since_epoch().count()));
  }
  // One timer at a time: the tasks it wakes run before the next timer fires, even one due at
  // the same instant. So timers due together fire in the order they were set, as real timers
  // set a few microseconds apart would.
  SimTask* task = TimerTask(timers_.top());
  timers_.pop();
  Wake(task, WakeReason::kTimeout);
  return true;
}

SimTask* Scheduler::TimerTask(const Timer& timer) const {
  auto it = tasks_.find(timer.task_id);
  if (it == tasks_.end()) return nullptr;
  SimTask* task = it->second.get();
  const bool live = task->state == Task::State::kParked && task->park_seq == timer.park_seq;
  return live ? task : nullptr;
}

void Scheduler::Loop() {
  while (!tasks_.empty()) {
    if (!runnable_.empty()) {
      const std::size_t pick = PickRunnable();
      SimTask* task = runnable_[pick];
      runnable_[pick] = runnable_.back();
      runnable_.pop_back();
      hash_ = Mix(hash_, task->id);
      if (options_.record_trace) Trace("run", fmt::format("{} '{}'", task->id, task->name));
      Resume(task);
      continue;
    }
    if (FireTimers()) continue;
    // Nothing can run and no timer will ever fire.
    if (!run_cancelled()) {
      Fail("deadlock: every task is blocked and no timer is pending\n" + DumpTasks());
      continue;  // cancellation wakes the tasks so they unwind
    }
    AbortStuck(
        "tasks still blocked after the run was cancelled (a destructor or an "
        "unwinding task blocks for ever)");
  }
}

RunResult Scheduler::Run(std::function<void()> main_task) {
  LAB_CHECK(CurrentBackend() == nullptr, "lab::Run: a run is already active on this thread");
  SetCurrent(this, nullptr);
#if defined(LAB_TSAN)
  scheduler_tsan_fiber_ = __tsan_get_current_fiber();
#endif
  Watchdog::RunStarted(options_.seed, options_.busy_loop_seconds, options_.replay_command);
  StartStillWindow();
  auto tester = std::make_shared<GroupImpl>(this, NextGroupId(), "tester");
  main_task_ = static_cast<SimTask*>(Spawn(tester, "main", std::move(main_task)));
  Loop();
  Watchdog::RunEnded();
  SetCurrent(nullptr, nullptr);
  if (result_.main_error && result_.ok) result_.ok = false;
  result_.trace_hash = hash_;
  result_.virtual_time = now_.time_since_epoch();
  return std::move(result_);
}

std::string Scheduler::DumpTasks() {
  std::vector<TaskSnapshot> snapshot;
  for (const auto& [id, task] : tasks_) {
    snapshot.push_back(SnapshotOf(*task, task->state));
  }
  return FormatTaskDump(fmt::format("tasks at virtual time {:.3f} s (seed {}):\n",
                                    now_.time_since_epoch().count() / 1e9, options_.seed),
                        snapshot);
}

void Scheduler::AbortStuck(const std::string& why) {
  std::fprintf(stderr, "\nlab runtime: %s\n%s", why.c_str(), DumpTasks().c_str());
  if (!result_.failure.empty()) {
    std::fprintf(stderr, "the run had failed first with: %s\n", result_.failure.c_str());
  }
  if (!options_.replay_command.empty()) {
    std::fprintf(stderr, "replay with: %s\n", options_.replay_command.c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace lab::detail
