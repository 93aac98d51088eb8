#include <algorithm>
#include <mutex>

#include "labrpc/check.h"
#include "labrpc/runtime/backend.h"
#include "labrpc/runtime/group_impl.h"

namespace lab::detail {

void GroupImpl::Go(std::string task_name, std::function<void()> body) {
  LAB_CHECK(CurrentBackend() == backend_ && CurrentTaskOrNull() != nullptr,
            "Group::Go('{}') on group '{}' outside the run that created it", task_name, name_);
  backend_->Spawn(shared_from_this(), std::move(task_name), std::move(body));
}

void GroupImpl::Cancel() {
  if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
  if (CurrentBackend() != backend_) return;  // the run is over: nothing left to stop
  backend_->Trace("cancel", name_);
  // Tasks parked now are woken; a task about to park sees the flag (backend.h, point 3).
  backend_->InterruptCancelled(this);
}

int GroupImpl::live_tasks() const {
  std::unique_lock lock(internal_);
  return static_cast<int>(members_.size());
}

void GroupImpl::WaitImpl(bool cancellable) {
  if (cancellable) CancellationPoint();
  std::unique_lock lock(internal_);
  if (members_.empty()) return;
  Task* self = CurrentTask();
  LAB_CHECK(self->group.get() != this,
            "task '{}' waits for its own group '{}' (it would never end)", self->name, name_);
  Waiter w;
  w.task = self;
  waiters_.push_back(&w);
  const WakeReason reason =
      Park(internal_, {"group wait", id_, nullptr}, TimePoint::max(), cancellable);
  if (w.claimed) return;
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
  LAB_CHECK(reason == WakeReason::kCancelled, "group wait woke without its group ending");
  ThrowCancelled();
}

void GroupImpl::AddMember(Task* task) {
  std::unique_lock lock(internal_);
  members_.emplace(task->id, task);
}

void GroupImpl::RemoveMember(Task* task) {
  std::unique_lock lock(internal_);
  members_.erase(task->id);
  if (!members_.empty()) return;
  while (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->claimed = true;
    Wake(w->task);
  }
}

}  // namespace lab::detail
