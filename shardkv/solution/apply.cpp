// Lab 4B reference: the applier task, which turns committed log entries into state. The
// design is in server.h.
#include <mutex>

#include "server.h"

namespace shardkv {

void ShardKV::Applier() {
  while (std::optional<raft::ApplyMsg> m = apply_ch_->recv()) {
    std::lock_guard lock(mu_);
    if (m->snapshot_valid) {
      ApplySnapshot(*m);
    } else if (m->command_valid) {
      ApplyCommand(*m);
    }
  }
}

void ShardKV::ApplyCommand(const raft::ApplyMsg& m) {
  if (m.command_index <= last_applied_) return;  // covered by a snapshot already
  const Command command = m.command.get<Command>();
  StateMachine::Result result = state_.Apply(command);
  last_applied_ = m.command_index;

  if (auto it = waiters_.find(m.command_index); it != waiters_.end()) {
    Waiter& waiter = *it->second;
    waiter.done = true;
    waiter.applied = waiter.command.SameRequest(command);
    if (waiter.applied) waiter.result = std::move(result);
    waiters_.erase(it);
    cond_.notify_all();
  }
  // Entries committed together arrive together: snapshot once, after the last one queued.
  if (apply_ch_->size() == 0) MaybeSnapshot(m.command_index);
}

void ShardKV::ApplySnapshot(const raft::ApplyMsg& m) {
  if (m.snapshot_index <= last_applied_) return;
  state_.Restore(m.snapshot);
  last_applied_ = m.snapshot_index;
  for (auto it = waiters_.begin(); it != waiters_.end() && it->first <= last_applied_;) {
    it->second->done = true;
    it = waiters_.erase(it);
  }
  cond_.notify_all();
}

void ShardKV::MaybeSnapshot(int index) {
  if (maxraftstate_ < 0) return;
  if (static_cast<double>(persister_->RaftStateSize()) < kSnapshotFraction * maxraftstate_) return;
  rf_->Snapshot(index, state_.Snapshot());
}

}  // namespace shardkv
