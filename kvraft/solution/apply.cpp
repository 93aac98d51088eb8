// Lab 3 reference: the applier task, which turns committed log entries into state. The
// design is in server.h.
#include <mutex>

#include "server.h"

namespace kvraft {

void KVServer::Applier() {
  while (std::optional<raft::ApplyMsg> m = apply_ch_->recv()) {
    std::lock_guard lock(mu_);
    if (m->snapshot_valid) {
      ApplySnapshot(*m);
    } else if (m->command_valid) {
      ApplyCommand(*m);
    }
  }
}

void KVServer::ApplyCommand(const raft::ApplyMsg& m) {
  // Raft may deliver an entry again after a snapshot covered it: apply each index once.
  if (m.command_index <= last_applied_) return;
  const Op op = m.command.get<Op>();
  std::string value = state_.Apply(op);
  last_applied_ = m.command_index;

  if (auto it = waiters_.find(m.command_index); it != waiters_.end()) {
    Waiter& waiter = *it->second;
    waiter.done = true;
    // Only this server's own request completes its waiter; another Op at the index means
    // leadership changed and the waiter's entry was overwritten.
    waiter.applied = waiter.op.SameRequest(op);
    if (waiter.applied) waiter.value = std::move(value);
    waiters_.erase(it);
    cond_.notify_all();
  }
  MaybeSnapshot(m.command_index);
}

void KVServer::ApplySnapshot(const raft::ApplyMsg& m) {
  if (m.snapshot_index <= last_applied_) return;  // older than what we hold
  state_.Restore(m.snapshot);
  last_applied_ = m.snapshot_index;
  // Handlers waiting at covered indices will never see their entry applied here: their Clerks
  // retry, and the duplicate table (restored with the snapshot) keeps the retries safe.
  for (auto it = waiters_.begin(); it != waiters_.end() && it->first <= last_applied_;) {
    it->second->done = true;
    it = waiters_.erase(it);
  }
  cond_.notify_all();
}

void KVServer::MaybeSnapshot(int index) {
  if (maxraftstate_ < 0) return;
  if (static_cast<double>(persister_->RaftStateSize()) < kSnapshotFraction * maxraftstate_) return;
  rf_->Snapshot(index, state_.Snapshot());
}

}  // namespace kvraft
