// The backend-neutral part of the runtime: the calling thread's backend and task, the park.h
// functions every primitive uses (they dispatch to that backend), and the task dump format.
#include "labrpc/runtime/backend.h"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <typeinfo>

#include <fmt/format.h>

#include "labrpc/check.h"
#include "labrpc/runtime/group_impl.h"

namespace lab::detail {
namespace {

const char* StateText(Task::State state) {
  switch (state) {
    case Task::State::kRunnable:
      return "runnable";
    case Task::State::kRunning:
      return "running";
    case Task::State::kDone:
      return "done";
    case Task::State::kParked:
      return "blocked";
  }
  return "?";
}

}  // namespace

bool Backend::ShouldCancel(const Task* task) const {
  return run_cancelled() || task->group->cancelled();
}

std::string FormatTaskDump(const std::string& header, const std::vector<TaskSnapshot>& tasks) {
  std::string out = header;
  for (const TaskSnapshot& task : tasks) {
    std::string state = StateText(task.state);
    if (task.state == Task::State::kParked) {
      state = fmt::format("on {}", task.wait.what);
      if (task.wait.object_id != 0) state += fmt::format(" #{}", task.wait.object_id);
      if (task.holder_id != 0) {
        const TaskSnapshot* holder = nullptr;
        for (const TaskSnapshot& t : tasks) {
          if (t.id == task.holder_id) holder = &t;
        }
        // The holder is read when the dump is taken, so it is the current one; a holder that
        // has ended never unlocked it (a lock() without unlock(), or a lock handed over).
        state += holder == nullptr
                     ? fmt::format(" held by task {} (which has ended)", task.holder_id)
                     : fmt::format(" held by task {} '{}' [group {}]", holder->id, holder->name,
                                   holder->group);
      }
      if (task.deadline != TimePoint::max()) {
        state += fmt::format(" until {:.3f} s", task.deadline.time_since_epoch().count() / 1e9);
      }
      // "blocked on mutex #2 ...", or for a task inside a call of the framework,
      // "blocked in Call Raft.RequestVote to server '1' (on chan recv #9 until 1.100 s)".
      state = task.note.empty() ? "blocked " + state
                                : fmt::format("blocked in {} ({})", task.note, state);
    }
    out += fmt::format("  task {} '{}' [group {}]: {}\n", task.id, task.name, task.group, state);
  }
  return out;
}

TaskSnapshot SnapshotOf(const Task& task, Task::State state) {
  TaskSnapshot snapshot;
  snapshot.id = task.id;
  snapshot.name = task.name;
  snapshot.group = task.group->name();
  snapshot.state = state;
  snapshot.wait = task.wait;
  snapshot.deadline = task.park_deadline;
  if (state == Task::State::kParked) {
    if (task.wait.holder != nullptr) {
      snapshot.holder_id = task.wait.holder->load(std::memory_order_relaxed);
    }
    snapshot.note = task.note;
  }
  snapshot.wait.holder = nullptr;  // not followed once the snapshot is taken
  return snapshot;
}

ScopedNote::ScopedNote(std::string note) : task_(tls::task) {
  if (task_ == nullptr) return;
  previous_ = std::move(task_->note);
  task_->note = std::move(note);
}

ScopedNote::~ScopedNote() {
  if (task_ != nullptr) task_->note = std::move(previous_);
}

std::string DescribeException(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    int status = 0;
    char* name = abi::__cxa_demangle(typeid(ex).name(), nullptr, nullptr, &status);
    std::string out = fmt::format("{}: {}", status == 0 ? name : typeid(ex).name(), ex.what());
    std::free(name);
    return out;
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

// ---- The park.h interface, used by every primitive. ----

Task* CurrentTask() {
  Task* task = tls::task;
  LAB_CHECK(task != nullptr,
            "this lab primitive must be used inside a run (a LAB_TEST body or a task)");
  return task;
}

std::uint64_t NextObjectId() {
  Backend* b = tls::backend;
  return b != nullptr ? b->NextObjectId() : 0;
}

WakeReason Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline, bool cancellable) {
  Backend* b = tls::backend;
  LAB_CHECK(b != nullptr && tls::task != nullptr, "a lab primitive blocked outside a run");
  return b->Park(lock, info, deadline, cancellable);
}

void Wake(Task* task) { tls::backend->Wake(task, WakeReason::kWoken); }

bool Unwinding() { return std::uncaught_exceptions() > 0; }

bool ShouldCancel() {
  const Task* task = tls::task;
  if (task == nullptr) return false;
  return tls::backend->ShouldCancel(task) && !Unwinding();
}

void ThrowCancelled() { throw Cancelled{}; }

}  // namespace lab::detail
