// Internal: a task group, the same for both backends (see Group in runtime.h for the contract).
// Membership and waiters are protected by an InternalLock, the cancelled flag is atomic, so a
// group works from the simulator's one thread and from the real backend's many.
#ifndef LABRPC_RUNTIME_GROUP_IMPL_H_
#define LABRPC_RUNTIME_GROUP_IMPL_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "labrpc/runtime/park.h"
#include "labrpc/runtime/runtime.h"

namespace lab::detail {

class Backend;
struct Task;

class GroupImpl final : public Group, public std::enable_shared_from_this<GroupImpl> {
 public:
  GroupImpl(Backend* backend, std::uint64_t id, std::string name)
      : backend_(backend), id_(id), name_(std::move(name)) {}

  const std::string& name() const override { return name_; }
  void Go(std::string task_name, std::function<void()> body) override;
  void Cancel() override;
  void Wait() override { WaitImpl(true); }
  bool cancelled() const override { return cancelled_.load(std::memory_order_acquire); }
  int live_tasks() const override;

  // Wait that a cancellation does not interrupt (TaskScope's destructor).
  void WaitImpl(bool cancellable);
  void AddMember(Task* task);
  // Removes a finished task; wakes the waiters when it was the last one.
  void RemoveMember(Task* task);
  std::uint64_t id() const { return id_; }

 private:
  Backend* const backend_;
  const std::uint64_t id_;
  const std::string name_;
  std::atomic<bool> cancelled_{false};
  mutable InternalLock internal_;
  std::map<std::uint64_t, Task*> members_;  // live tasks by id; protected by internal_
  std::deque<Waiter*> waiters_;             // tasks in Wait(); protected by internal_
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_GROUP_IMPL_H_
