#include "labrpc/runtime/sync.h"

#include <algorithm>

#include "labrpc/check.h"
#include "labrpc/runtime/backend.h"

namespace lab {

Mutex::Mutex() : id_(detail::NextObjectId()) {}

void Mutex::lock() { LockImpl(true); }

void Mutex::LockUncancellable() { LockImpl(false); }

void Mutex::LockImpl(bool cancellable) {
  detail::Backend* backend = detail::CurrentBackend();
  detail::Task* self = detail::CurrentTaskOrNull();
  if (self == nullptr) {
    // Outside a run (plain unit tests of pure functions): only an uncontended lock works.
    std::unique_lock guard(internal_);
    LAB_CHECK(!locked_, "lab::Mutex #{} is locked and lock() was called outside a run", id_);
    locked_ = true;
    return;
  }
  if (cancellable) {
    detail::CancellationPoint();
    // A preemption point: on a multi-core machine another goroutine could take the mutex
    // first, so let the scheduler choose. (Real cores do that on their own.)
    if (backend->simulated()) {
      backend->PreemptionPoint();
      detail::CancellationPoint();
    }
  }
  std::unique_lock guard(internal_);
  if (!locked_) {
    locked_ = true;
    holder_id_.store(self->id, std::memory_order_relaxed);
    return;
  }
  detail::Waiter w;
  w.task = self;
  waiters_.push_back(&w);
  detail::Park(internal_, {"mutex", id_, &holder_id_}, TimePoint::max(), cancellable);
  if (w.claimed) return;  // unlock() handed the mutex to us (holder_id_ is already ours)
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
  detail::ThrowCancelled();
}

bool Mutex::try_lock() {
  std::unique_lock guard(internal_);
  if (locked_) return false;
  locked_ = true;
  const detail::Task* self = detail::CurrentTaskOrNull();
  holder_id_.store(self != nullptr ? self->id : 0, std::memory_order_relaxed);
  return true;
}

void Mutex::unlock() {
  std::unique_lock guard(internal_);
  LAB_CHECK(locked_, "unlock of unlocked lab::Mutex #{}", id_);
  if (waiters_.empty()) {
    locked_ = false;
    holder_id_.store(0, std::memory_order_relaxed);
    return;
  }
  // Hand the mutex straight to the first waiter (FIFO, so no waiter starves).
  detail::Waiter* next = waiters_.front();
  waiters_.pop_front();
  holder_id_.store(next->task->id, std::memory_order_relaxed);
  next->claimed = true;
  detail::Wake(next->task);
}

CondVar::CondVar() : id_(detail::NextObjectId()) {}

void CondVar::wait(std::unique_lock<Mutex>& lock) { wait_until(lock, TimePoint::max()); }

std::cv_status CondVar::wait_until(std::unique_lock<Mutex>& lock, TimePoint deadline) {
  LAB_CHECK(lock.owns_lock(), "CondVar #{}: wait without holding the mutex", id_);
  detail::CancellationPoint();
  Mutex* mutex = lock.mutex();
  detail::Waiter w;
  w.task = detail::CurrentTask();
  detail::WakeReason reason;
  {
    std::unique_lock guard(internal_);
    waiters_.push_back(&w);
    mutex->unlock();
    reason = detail::Park(internal_, {"condvar", id_, nullptr}, deadline, true);
    if (!w.claimed) waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
  }
  // Re-acquire whatever happened, as std::condition_variable does: the caller's unique_lock
  // believes it owns the mutex and will unlock it, even while Cancelled propagates.
  mutex->LockUncancellable();
  if (w.claimed) return std::cv_status::no_timeout;
  if (reason == detail::WakeReason::kCancelled) detail::ThrowCancelled();
  return std::cv_status::timeout;
}

void CondVar::notify_one() {
  std::unique_lock guard(internal_);
  if (waiters_.empty()) return;
  detail::Waiter* w = waiters_.front();
  waiters_.pop_front();
  w->claimed = true;
  detail::Wake(w->task);
}

void CondVar::notify_all() {
  std::unique_lock guard(internal_);
  while (!waiters_.empty()) {
    detail::Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->claimed = true;
    detail::Wake(w->task);
  }
}

}  // namespace lab
