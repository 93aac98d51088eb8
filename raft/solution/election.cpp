// Leader election (§5.2): the election timer, RequestVote on both sides, role transitions.
#include <memory>
#include <mutex>

#include "raft.h"
#include "rules.h"
#include "timing.h"

namespace raft {

void Raft::ResetElectionTimer() {
  // §5.2: a randomized timeout, so that one server usually times out first and wins before
  // the others even start.
  election_deadline_ = lab::now() + lab::rand_duration(kElectionTimeoutMin, kElectionTimeoutMax);
}

// Sleeps until the election deadline and starts an election if nothing reset it meanwhile.
// It never polls: each wake-up either starts an election or sleeps until the new deadline.
void Raft::Ticker() {
  while (!killed()) {
    lab::TimePoint wake_at;
    {
      std::lock_guard lock(mu_);
      // Figure 2, Rules for Servers, Followers and Candidates: start an election when the
      // timeout elapses without AppendEntries from the current leader or a granted vote.
      if (role_ != Role::kLeader && lab::now() >= election_deadline_) StartElection();
      // A leader has no deadline; it looks again after a minimal timeout, by which time it may
      // have stepped down (BecomeFollower resets the deadline).
      wake_at = role_ == Role::kLeader ? lab::now() + kElectionTimeoutMin : election_deadline_;
    }
    lab::sleep_for(wake_at - lab::now());
  }
}

void Raft::StartElection() {
  // Figure 2, Candidates: increment currentTerm, vote for self, reset the election timer,
  // send RequestVote to all other servers.
  ++current_term_;
  role_ = Role::kCandidate;
  voted_for_ = me_;
  Persist();
  ResetElectionTimer();
  LAB_DEBUG("vote", "S{} T{}: starting election (last index {} term {})", me_, current_term_,
            log_.LastIndex(), log_.LastTerm());
  LAB_DEBUG("state", "candidate term {}", current_term_);  // the timeline's role band

  const RequestVoteArgs args{current_term_, me_, log_.LastIndex(), log_.LastTerm()};
  auto votes = std::make_shared<int>(1);  // our own vote; protected by mu_
  if (*votes * 2 > static_cast<int>(peers_.size())) {
    BecomeLeader();  // a one-server cluster
    return;
  }
  for (int peer = 0; peer < static_cast<int>(peers_.size()); ++peer) {
    if (peer == me_) continue;
    lab::go("request-vote", [this, peer, args, votes] { RequestVoteFrom(peer, args, votes); });
  }
}

void Raft::RequestVoteFrom(int peer, const RequestVoteArgs& args, std::shared_ptr<int> votes) {
  RequestVoteReply reply;
  if (!peers_[peer]->Call("Raft.RequestVote", args, &reply)) return;

  std::lock_guard lock(mu_);
  // Figure 2, All Servers: a reply with a higher term makes us a follower.
  if (reply.term > current_term_) {
    BecomeFollower(reply.term);
    return;
  }
  // Ignore replies to an election we are no longer running.
  if (role_ != Role::kCandidate || current_term_ != args.term || !reply.vote_granted) return;
  ++*votes;
  LAB_DEBUG("vote", "S{} T{}: vote from S{} ({} so far)", me_, current_term_, peer, *votes);
  // Figure 2, Candidates: votes from a majority of servers make us the leader (once: after
  // that role_ is no longer kCandidate and later votes are ignored above).
  if (*votes * 2 > static_cast<int>(peers_.size())) BecomeLeader();
}

void Raft::RequestVote(const RequestVoteArgs& args, RequestVoteReply* reply) {
  std::lock_guard lock(mu_);
  // Figure 2, All Servers: if a request contains a higher term, adopt it and become follower.
  if (args.term > current_term_) BecomeFollower(args.term);

  const bool up_to_date = rules::CandidateLogUpToDate(args.last_log_term, args.last_log_index,
                                                      log_.LastTerm(), log_.LastIndex());
  reply->term = current_term_;
  reply->vote_granted =
      rules::ShouldGrantVote(args.term, args.candidate_id, up_to_date, current_term_, voted_for_);
  if (reply->vote_granted) {
    voted_for_ = args.candidate_id;
    Persist();             // before replying: a restarted server must not vote again in this term
    ResetElectionTimer();  // Figure 2, Followers: granting a vote defers our own election
  }
  LAB_DEBUG("vote", "S{} T{}: {} vote to S{}", me_, current_term_,
            reply->vote_granted ? "granted" : "refused", args.candidate_id);
}

void Raft::BecomeFollower(int term) {
  const bool leader_before = role_ == Role::kLeader;
  if (role_ != Role::kFollower || term > current_term_) {
    LAB_DEBUG("state", "follower term {}", term);  // the timeline's role band
  }
  if (term > current_term_) {
    current_term_ = term;
    voted_for_ = -1;  // a new term: no vote cast in it yet
    Persist();
  }
  role_ = Role::kFollower;
  if (leader_before) {
    // A deposed leader had no election deadline; give it a fresh one, and let its
    // replicators see the change and exit.
    ResetElectionTimer();
    replicate_cv_.notify_all();
  }
}

void Raft::BecomeLeader() {
  role_ = Role::kLeader;
  LAB_DEBUG("vote", "S{} T{}: became leader (last index {})", me_, current_term_, log_.LastIndex());
  LAB_DEBUG("state", "leader term {}", current_term_);  // the timeline's role band
  // Figure 2, State, volatile state on leaders: reinitialized after election.
  for (int peer = 0; peer < static_cast<int>(peers_.size()); ++peer) {
    next_index_[peer] = log_.LastIndex() + 1;
    match_index_[peer] = 0;
    retransmit_at_[peer] = lab::TimePoint{};
  }
  match_index_[me_] = log_.LastIndex();
  // One replicator per follower for this term: it sends the initial heartbeat at once
  // (Figure 2, Leaders: "upon election: send initial empty AppendEntries RPCs") and exits
  // when this server stops being the leader of this term.
  for (int peer = 0; peer < static_cast<int>(peers_.size()); ++peer) {
    if (peer == me_) continue;
    lab::go("replicator", [this, peer, term = current_term_] { Replicator(peer, term); });
  }
}

}  // namespace raft
