// The reference Raft: construction and the public API. Elections, replication, snapshots,
// persistence and applying live in their own files (see raft.h).
#include "raft.h"

#include <mutex>
#include <utility>

#include "labrpc/check.h"

namespace raft {

Raft::Raft(std::vector<std::shared_ptr<lab::ClientEnd>> peers, int me,
           std::shared_ptr<lab::Persister> persister, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch)
    : peers_(std::move(peers)),
      me_(me),
      persister_(std::move(persister)),
      apply_ch_(std::move(apply_ch)),
      next_index_(peers_.size(), 1),
      match_index_(peers_.size(), 0),
      retransmit_at_(peers_.size()) {
  LAB_CHECK(me_ >= 0 && me_ < static_cast<int>(peers_.size()), "me={} but {} peers", me_,
            peers_.size());
  {
    std::lock_guard lock(mu_);
    // A restarted server resumes from what it saved; the service has already restored the
    // snapshot itself, so the entries it covers count as applied.
    ReadPersist(persister_->ReadRaftState());
    snapshot_ = persister_->ReadSnapshot();
    commit_index_ = log_.snapshot_index();
    last_applied_ = log_.snapshot_index();
    ResetElectionTimer();
  }
  lab::go("ticker", [this] { Ticker(); });
  lab::go("applier", [this] { Applier(); });
}

// Every task of this server is gone by now: the tester cancels the server's group and waits
// for it before destroying the Raft.
Raft::~Raft() = default;

RaftState Raft::GetState() {
  std::lock_guard lock(mu_);
  return RaftState{current_term_, role_ == Role::kLeader};
}

StartResult Raft::Start(nlohmann::json command) {
  std::lock_guard lock(mu_);
  if (role_ != Role::kLeader || killed()) return StartResult{-1, current_term_, false};
  // Figure 2, Rules for Servers, Leaders: append the command to the local log, then send it.
  log_.Append(LogEntry{current_term_, std::move(command)});
  Persist();
  match_index_[me_] = log_.LastIndex();
  LAB_DEBUG("start", "S{} T{}: appended index {}", me_, current_term_, log_.LastIndex());
  AdvanceCommitIndex();        // a single-server cluster commits at once
  replicate_cv_.notify_all();  // the replicators send the new entry without waiting
  return StartResult{log_.LastIndex(), current_term_, true};
}

void Raft::Kill() {
  dead_ = true;
  // Wake the tasks that wait on conditions, so they notice and return.
  std::lock_guard lock(mu_);
  apply_cv_.notify_all();
  replicate_cv_.notify_all();
}

bool Raft::killed() const { return dead_; }

void Raft::RegisterRpcs(lab::Service& service) {
  service.Register("RequestVote", this, &Raft::RequestVote);
  service.Register("AppendEntries", this, &Raft::AppendEntries);
  service.Register("InstallSnapshot", this, &Raft::InstallSnapshot);
}

}  // namespace raft
