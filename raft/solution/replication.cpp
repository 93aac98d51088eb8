// Log replication (§5.3) and commitment (§5.4): the leader's per-follower replicators,
// AppendEntries on both sides, and the commit index.
#include <algorithm>
#include <mutex>

#include "labrpc/check.h"
#include "raft.h"
#include "rules.h"
#include "timing.h"

namespace raft {

// One task per follower and leader term; it exits when this server stops being the leader of
// `term`. Flow control, per follower:
//   - At most one message carrying entries (or a snapshot) is outstanding. Its reply, or
//     kRetransmitTimeout without one (it or its reply was lost), allows the next. So entries
//     that are on their way are not sent again, and a follower that cannot be reached gets
//     one batch per timeout, not the whole log on every heartbeat.
//   - A message carries at most kMaxEntriesPerMessage entries; a lagging follower catches up
//     batch by batch, one round trip each.
//   - Otherwise an empty AppendEntries every kHeartbeatInterval keeps our leadership and
//     carries the commit index (Figure 2, Leaders: "repeat during idle periods").
void Raft::Replicator(int peer, int term) {
  std::unique_lock lock(mu_);
  lab::TimePoint heartbeat_due = lab::now();  // the initial heartbeat goes out at once
  auto leading = [&] { return !killed() && role_ == Role::kLeader && current_term_ == term; };
  while (leading()) {
    const lab::TimePoint now = lab::now();
    if (HasEntriesFor(peer) && now >= retransmit_at_[peer]) {
      SendEntries(peer);
      heartbeat_due = now + kHeartbeatInterval;
    } else if (now >= heartbeat_due) {
      SendHeartbeat(peer);
      heartbeat_due = now + kHeartbeatInterval;
    }
    // Sleep until the next deadline; Start, replies and role changes wake us earlier.
    lab::TimePoint wake_at = heartbeat_due;
    if (HasEntriesFor(peer)) wake_at = std::min(wake_at, retransmit_at_[peer]);
    if (wake_at > lab::now()) replicate_cv_.wait_until(lock, wake_at);
  }
}

bool Raft::HasEntriesFor(int peer) const { return next_index_[peer] <= log_.LastIndex(); }

void Raft::SendEntries(int peer) {
  retransmit_at_[peer] = lab::now() + kRetransmitTimeout;
  if (next_index_[peer] <= log_.snapshot_index()) {
    // The entries this follower needs next were discarded into the snapshot (§7).
    InstallSnapshotArgs args{current_term_, me_, log_.snapshot_index(), log_.snapshot_term(),
                             snapshot_};
    lab::go("install-snapshot", [this, peer, args] { SendInstallSnapshot(peer, args); });
    return;
  }
  AppendEntriesArgs args = MakeAppendEntries(next_index_[peer] - 1);
  args.entries = log_.From(next_index_[peer], kMaxEntriesPerMessage);
  lab::go("append-entries", [this, peer, args] { SendAppendEntries(peer, args); });
}

void Raft::SendHeartbeat(int peer) {
  // Probe at nextIndex - 1, or at the snapshot's last entry if the entries before nextIndex
  // are gone (an InstallSnapshot is then on its way).
  const int prev = std::max(next_index_[peer] - 1, log_.snapshot_index());
  const AppendEntriesArgs args = MakeAppendEntries(prev);
  lab::go("heartbeat", [this, peer, args] { SendAppendEntries(peer, args); });
}

AppendEntriesArgs Raft::MakeAppendEntries(int prev_log_index) const {
  AppendEntriesArgs args;
  args.term = current_term_;
  args.leader_id = me_;
  args.prev_log_index = prev_log_index;
  args.prev_log_term = log_.Term(prev_log_index);
  args.leader_commit = commit_index_;
  return args;
}

void Raft::SendAppendEntries(int peer, const AppendEntriesArgs& args) {
  AppendEntriesReply reply;
  if (!peers_[peer]->Call("Raft.AppendEntries", args, &reply)) return;
  std::lock_guard lock(mu_);
  HandleAppendEntriesReply(peer, args, reply);
}

void Raft::HandleAppendEntriesReply(int peer, const AppendEntriesArgs& args,
                                    const AppendEntriesReply& reply) {
  // Figure 2, All Servers: a higher term makes us a follower.
  if (reply.term > current_term_) {
    BecomeFollower(reply.term);
    return;
  }
  // Replies may arrive late and out of order: ignore those from an earlier leadership.
  if (role_ != Role::kLeader || current_term_ != args.term) return;

  if (reply.success) {
    // Figure 2, Leaders: on success update nextIndex and matchIndex for the follower. Take
    // the maximum: a late reply to an older message must not move them backwards.
    const int match = args.prev_log_index + static_cast<int>(args.entries.size());
    next_index_[peer] = std::max(next_index_[peer], match + 1);
    if (match > match_index_[peer]) {
      match_index_[peer] = match;
      AdvanceCommitIndex();
    }
    if (!args.entries.empty()) AllowNextBatch(peer);
    return;
  }
  // A rejection is news only if it answers the probe at the current nextIndex; an older one
  // was already acted upon.
  if (args.prev_log_index != next_index_[peer] - 1) return;
  // Figure 2, Leaders: on a log inconsistency decrement nextIndex and retry; the conflict
  // hint lets us skip a whole term at a time (rules::NextIndexAfterReject).
  const int leader_last_of_term =
      reply.conflict_term < 0 ? -1 : LastIndexOfTerm(reply.conflict_term);
  const int next =
      rules::NextIndexAfterReject(reply.conflict_index, reply.conflict_term, leader_last_of_term);
  const int next_before = next_index_[peer];
  next_index_[peer] = std::max(match_index_[peer] + 1, std::min(next, args.prev_log_index));
  LAB_DEBUG("append", "S{} T{}: S{} rejected prev {}, next index now {}", me_, current_term_, peer,
            args.prev_log_index, next_index_[peer]);
  // Retry at once if we backed up. (A correct follower never loses entries it acknowledged, so
  // we always back up here; if one did, retrying the same probe at once would loop forever
  // without time passing, so leave that to the retransmit timeout.)
  if (next_index_[peer] < next_before) AllowNextBatch(peer);
}

void Raft::AllowNextBatch(int peer) {
  retransmit_at_[peer] = lab::now();
  replicate_cv_.notify_all();
}

int Raft::LastIndexOfTerm(int term) const {
  for (int index = log_.LastIndex(); index >= log_.snapshot_index(); --index) {
    const int t = log_.Term(index);
    if (t == term) return index;
    if (t < term) break;  // terms only decrease going backwards
  }
  return -1;
}

void Raft::AdvanceCommitIndex() {
  match_index_[me_] = log_.LastIndex();
  const int commit = rules::LeaderCommitIndex(match_index_, commit_index_, current_term_,
                                              [this](int index) { return log_.Term(index); });
  if (commit > commit_index_) {
    LAB_DEBUG("commit", "S{} T{}: commit index {} -> {}", me_, current_term_, commit_index_,
              commit);
    commit_index_ = commit;
    apply_cv_.notify_all();
  }
}

void Raft::AppendEntries(const AppendEntriesArgs& args, AppendEntriesReply* reply) {
  std::lock_guard lock(mu_);
  reply->term = current_term_;
  reply->success = false;
  // Receiver rule 1: reply false if term < currentTerm.
  if (args.term < current_term_) return;
  // Figure 2, All Servers: adopt a higher term. Candidates: AppendEntries from the new
  // leader means we lost the election.
  if (args.term > current_term_ || role_ != Role::kFollower) BecomeFollower(args.term);
  reply->term = current_term_;
  ResetElectionTimer();  // Figure 2, Followers: this is the current leader talking

  // Receiver rule 2: reply false if the log has no entry at prevLogIndex whose term matches
  // prevLogTerm. Entries up to log_.snapshot_index() are committed, hence match the leader's.
  if (args.prev_log_index > log_.LastIndex() ||
      (args.prev_log_index >= log_.snapshot_index() &&
       log_.Term(args.prev_log_index) != args.prev_log_term)) {
    RejectAppendEntries(args.prev_log_index, reply);
    return;
  }
  if (MergeEntries(args)) Persist();  // before replying: the leader counts this as stored
  reply->success = true;

  // Receiver rule 5.
  const int last_new = args.prev_log_index + static_cast<int>(args.entries.size());
  const int commit = rules::FollowerCommitIndex(commit_index_, args.leader_commit, last_new);
  if (commit > commit_index_) {
    commit_index_ = commit;
    apply_cv_.notify_all();
  }
}

void Raft::RejectAppendEntries(int prev_log_index, AppendEntriesReply* reply) {
  if (prev_log_index > log_.LastIndex()) {
    reply->conflict_term = -1;
    reply->conflict_index = log_.LastIndex() + 1;
    return;
  }
  reply->conflict_term = log_.Term(prev_log_index);
  int first = prev_log_index;
  while (first - 1 > log_.snapshot_index() && log_.Term(first - 1) == reply->conflict_term) --first;
  reply->conflict_index = first;
}

bool Raft::MergeEntries(const AppendEntriesArgs& args) {
  for (int i = 0; i < static_cast<int>(args.entries.size()); ++i) {
    const int index = args.prev_log_index + 1 + i;
    if (index <= log_.snapshot_index()) continue;  // already covered by our snapshot
    if (index <= log_.LastIndex()) {
      if (log_.Term(index) == args.entries[i].term) continue;  // already have it
      // Receiver rule 3: an existing entry conflicts with a new one (same index, different
      // term): delete it and all that follow. Only then: a late, shorter AppendEntries must
      // not cut off entries we already acknowledged.
      LAB_CHECK(index > commit_index_, "S{} would truncate committed index {} (commit {})", me_,
                index, commit_index_);
      log_.TruncateFrom(index);
    }
    // Receiver rule 4: append any new entries not already in the log.
    for (int j = i; j < static_cast<int>(args.entries.size()); ++j) log_.Append(args.entries[j]);
    return true;
  }
  return false;
}

}  // namespace raft
