// lab::Mutex and lab::CondVar: Go's sync.Mutex and sync.Cond for lab tasks.
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   lab::Mutex mu_;
//   lab::CondVar cv_;
//   std::unique_lock lock(mu_);
//   cv_.wait(lock, [&] { return commit_index_ > last_applied_; });
//   ...
//   cv_.notify_all();   // after changing commit_index_ under mu_
//
// Both types satisfy the standard requirements (Mutex is Lockable, so std::lock_guard,
// std::unique_lock and std::scoped_lock work). Waiters are served in FIFO order. lock() and
// every wait are blocking points: a cancelled task throws lab::Cancelled there. A task that
// is cancelled inside wait() re-acquires the mutex before Cancelled propagates, exactly as
// std::condition_variable guarantees, so the unique_lock's destructor releases it.
// In the simulator lock() is also a preemption point, so the scheduler explores the
// interleavings a real multi-core machine would produce.
#ifndef LABRPC_RUNTIME_SYNC_H_
#define LABRPC_RUNTIME_SYNC_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "labrpc/runtime/park.h"
#include "labrpc/runtime/runtime.h"

namespace lab {

class Mutex {
 public:
  Mutex();
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock();
  bool try_lock();
  // REQUIRES: the mutex is locked (by any task, as in Go).
  void unlock();

 private:
  friend class CondVar;
  // Takes the mutex even if the task is cancelled (CondVar's re-lock on the way out).
  void LockUncancellable();
  void LockImpl(bool cancellable);

  detail::InternalLock internal_;
  // State below is protected by internal_.
  bool locked_ = false;
  // The task holding it, for dumps only. Atomic because a dump on the real backend reads it
  // from another thread, through a waiter's WaitInfo.
  std::atomic<std::uint64_t> holder_id_{0};
  std::deque<detail::Waiter*> waiters_;
  const std::uint64_t id_;
};

class CondVar {
 public:
  CondVar();
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // REQUIRES: `lock` owns a locked lab::Mutex. Spurious wake-ups do not happen, but use the
  // predicate form anyway: another task may change the state before this one runs.
  void wait(std::unique_lock<Mutex>& lock);
  template <class Predicate>
  void wait(std::unique_lock<Mutex>& lock, Predicate pred) {
    while (!pred()) wait(lock);
  }
  std::cv_status wait_until(std::unique_lock<Mutex>& lock, TimePoint deadline);
  template <class Rep, class Period>
  std::cv_status wait_for(std::unique_lock<Mutex>& lock,
                          std::chrono::duration<Rep, Period> timeout) {
    return wait_until(lock, now() + std::chrono::duration_cast<Duration>(timeout));
  }
  template <class Rep, class Period, class Predicate>
  bool wait_for(std::unique_lock<Mutex>& lock, std::chrono::duration<Rep, Period> timeout,
                Predicate pred) {
    const TimePoint deadline = now() + std::chrono::duration_cast<Duration>(timeout);
    while (!pred()) {
      if (wait_until(lock, deadline) == std::cv_status::timeout) return pred();
    }
    return true;
  }

  void notify_one();
  void notify_all();

 private:
  detail::InternalLock internal_;
  std::deque<detail::Waiter*> waiters_;  // protected by internal_
  const std::uint64_t id_;
};

}  // namespace lab

#endif  // LABRPC_RUNTIME_SYNC_H_
