// The applier: the one task that sends on apply_ch, so the service sees committed entries
// and snapshots exactly once each, in log order (Figure 2, All Servers: "if commitIndex >
// lastApplied: increment lastApplied, apply log[lastApplied] to state machine").
#include <mutex>
#include <utility>

#include "raft.h"

namespace raft {

void Raft::Applier() {
  std::unique_lock lock(mu_);
  while (!killed()) {
    apply_cv_.wait(
        lock, [this] { return killed() || snapshot_pending_ || last_applied_ < commit_index_; });
    if (killed()) return;
    ApplyMsg msg;
    if (snapshot_pending_) {
      // An installed snapshot goes first: InstallSnapshot already moved last_applied_ to its
      // index, so the next entry sent is the one right after it.
      snapshot_pending_ = false;
      msg.snapshot_valid = true;
      msg.snapshot = snapshot_;
      msg.snapshot_term = log_.Term(log_.snapshot_index());
      msg.snapshot_index = log_.snapshot_index();
    } else {
      ++last_applied_;
      msg.command_valid = true;
      msg.command = log_.At(last_applied_).command;
      msg.command_index = last_applied_;
    }
    // Never hold mu_ while the service may be busy: it may call Snapshot() before it takes
    // the next message.
    lock.unlock();
    apply_ch_->send(std::move(msg));
    lock.lock();
  }
}

}  // namespace raft
