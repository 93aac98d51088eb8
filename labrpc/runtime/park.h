// Internal: how blocking primitives put a task to sleep and wake it. Not for student code.
//
// A primitive (Mutex, CondVar, Chan, Group) keeps its own waiter list protected by an
// InternalLock. To block, a task adds a Waiter to that list and calls Park with the lock held.
// To wake a task, another task removes the Waiter from the list under the same lock, sets
// `claimed` (and hands over whatever the waiter waited for) and calls Wake.
//
// Invariants:
//   1. A Waiter is in at most one list, and only while its task is inside Park (or about to
//      re-check after Park returned).
//   2. `claimed` is written only under the primitive's lock. A claimed waiter got what it
//      waited for, whatever Park returned: a task that is cancelled or times out at the same
//      moment it is claimed proceeds normally and meets the cancellation at its next blocking
//      point. Nothing handed over is ever lost.
//   3. Park returns with the lock held again.
//   4. Every Wake for a Waiter is issued under the primitive's lock, and the parked task takes
//      that lock again before Park returns: so all wakes meant for one Park are over before
//      the task can park again, and a Wake that comes before the task actually sleeps (on
//      the real backend, where the waker runs on another thread) is not lost.
// The functions below dispatch to the backend of the calling task (backend.h).
#ifndef LABRPC_RUNTIME_PARK_H_
#define LABRPC_RUNTIME_PARK_H_

#include <sched.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "labrpc/runtime/runtime.h"

namespace lab::detail {

struct Task;

// A tiny test-and-set lock guarding a primitive's internal state. It is held only for a few
// instructions and never across a task switch, so it never spins in the simulator. On the real
// backend its holder can be preempted: after a few spins a waiter gives its CPU away.
class InternalLock {
 public:
  void lock() {
    for (int spins = 0; flag_.test_and_set(std::memory_order_acquire); ++spins) {
      if (spins >= 64) sched_yield();
    }
  }
  void unlock() { flag_.clear(std::memory_order_release); }

 private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

enum class WakeReason : std::uint8_t { kWoken, kTimeout, kCancelled };

// What a parked task waits for, for deadlock dumps ("mutex #12 held by task 7 'applier'").
struct WaitInfo {
  const char* what = "";        // "mutex", "condvar", "chan recv", "sleep", "rpc reply", ...
  std::uint64_t object_id = 0;  // the primitive's id (sequential, deterministic)
  // For a mutex: where it keeps the id of the task holding it. A dump reads it when it is
  // taken, not when the wait began: the mutex may have changed hands since. Valid while the
  // task is parked (the primitive outlives its waiters).
  const std::atomic<std::uint64_t>* holder = nullptr;
};

struct Waiter {
  Task* task = nullptr;
  bool claimed = false;
};

Task* CurrentTask();

// Sequential ids for primitives, so that dumps and traces name them deterministically.
std::uint64_t NextObjectId();

// Blocks the current task. REQUIRES: `lock` is held; the caller registered a Waiter in the
// primitive's list (unless it only sleeps until `deadline`). `lock` is released while parked.
// When `cancellable` is false, cancelling the group does not interrupt this wait (used while
// the task unwinds, when throwing again would terminate the program).
WakeReason Park(InternalLock& lock, const WaitInfo& info, TimePoint deadline, bool cancellable);
inline WakeReason Park(InternalLock& lock, const WaitInfo& info) {
  return Park(lock, info, TimePoint::max(), true);
}

// Makes a parked task runnable. REQUIRES: the primitive's lock is held and the task's Waiter
// was just claimed. Calling it for a task that already woke (timeout, cancel) is harmless.
void Wake(Task* task);

// True when the current task must throw Cancelled at this blocking point: its group was
// cancelled and it is not already unwinding an exception (throwing then would terminate).
bool ShouldCancel();
[[noreturn]] void ThrowCancelled();
inline void CancellationPoint() {
  if (ShouldCancel()) ThrowCancelled();
}

// Sets the calling task's note for dumps (Task::note: "Call Raft.AppendEntries to server
// '2'") for its lifetime, then restores the previous one. Outside a task it does nothing.
class ScopedNote {
 public:
  explicit ScopedNote(std::string note);
  ~ScopedNote();
  ScopedNote(const ScopedNote&) = delete;
  ScopedNote& operator=(const ScopedNote&) = delete;

 private:
  Task* task_;
  std::string previous_;
};

// Records a failure of the run without unwinding the caller (lab::Fatal also unwinds).
void RecordFailure(const std::string& message);

// True while the current task unwinds an exception (per task: the runtime saves and restores
// the C++ exception state at every switch).
bool Unwinding();

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_PARK_H_
