// Log compaction (§7): the service's Snapshot() call, and InstallSnapshot on both sides
// (Figure 13, sent in one piece).
#include <algorithm>
#include <mutex>
#include <utility>

#include "labrpc/check.h"
#include "raft.h"

namespace raft {

void Raft::Snapshot(int index, lab::Bytes snapshot) {
  std::lock_guard lock(mu_);
  // A snapshot no newer than ours is stale, e.g. the service took it just before an
  // InstallSnapshot from the leader replaced our log with a later one.
  if (index <= log_.snapshot_index()) return;
  LAB_CHECK(index <= last_applied_, "S{}: Snapshot({}) of an entry not yet applied (applied {})",
            me_, index, last_applied_);
  // Discard the entries up to index; the entry at index becomes the new sentinel, keeping its
  // term for the consistency check of the next AppendEntries.
  log_.CompactTo(index, log_.Term(index));
  snapshot_ = std::move(snapshot);
  snapshot_unsaved_ = true;
  Persist();
  LAB_DEBUG("snap", "S{} T{}: snapshot up to {}, {} entries left", me_, current_term_, index,
            log_.LastIndex() - index);
}

void Raft::InstallSnapshot(const InstallSnapshotArgs& args, InstallSnapshotReply* reply) {
  std::lock_guard lock(mu_);
  reply->term = current_term_;
  // Figure 13, receiver rule 1: reply immediately if term < currentTerm.
  if (args.term < current_term_) return;
  if (args.term > current_term_ || role_ != Role::kFollower) BecomeFollower(args.term);
  reply->term = current_term_;
  ResetElectionTimer();  // the current leader is talking

  // A snapshot covering only what we have already committed adds nothing (and the applier
  // may already be delivering those entries).
  if (args.last_included_index <= commit_index_) return;
  const int index = args.last_included_index;
  // Figure 13, rules 6-7: if our log holds the snapshot's last entry, keep what follows it;
  // otherwise discard the entire log.
  log_.CompactTo(index, args.last_included_term);
  snapshot_ = args.data;
  snapshot_unsaved_ = true;
  Persist();
  // Figure 13, rule 8: the service resets its state from the snapshot. The applier delivers
  // it before any later entry; the entries it covers count as committed and applied.
  commit_index_ = index;
  last_applied_ = index;
  snapshot_pending_ = true;
  apply_cv_.notify_all();
  LAB_DEBUG("snap", "S{} T{}: installed snapshot up to {} from S{}", me_, current_term_, index,
            args.leader_id);
}

void Raft::SendInstallSnapshot(int peer, const InstallSnapshotArgs& args) {
  InstallSnapshotReply reply;
  if (!peers_[peer]->Call("Raft.InstallSnapshot", args, &reply)) return;
  std::lock_guard lock(mu_);
  HandleInstallSnapshotReply(peer, args, reply);
}

void Raft::HandleInstallSnapshotReply(int peer, const InstallSnapshotArgs& args,
                                      const InstallSnapshotReply& reply) {
  if (reply.term > current_term_) {
    BecomeFollower(reply.term);
    return;
  }
  if (role_ != Role::kLeader || current_term_ != args.term) return;
  if (args.last_included_index <= match_index_[peer]) return;  // a late duplicate
  // The follower now holds everything up to the snapshot: continue with the entries after it,
  // at once.
  match_index_[peer] = args.last_included_index;
  next_index_[peer] = std::max(next_index_[peer], args.last_included_index + 1);
  AllowNextBatch(peer);
}

}  // namespace raft
