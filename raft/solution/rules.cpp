// Raft's decisions as pure functions (see rules.h for the rule each one implements).
#include "rules.h"

#include <algorithm>
#include <functional>
#include <vector>

namespace raft::rules {

bool CandidateLogUpToDate(int candidate_last_term, int candidate_last_index, int voter_last_term,
                          int voter_last_index) {
  // §5.4.1: compare the terms of the last entries first, then the lengths.
  if (candidate_last_term != voter_last_term) return candidate_last_term > voter_last_term;
  return candidate_last_index >= voter_last_index;
}

bool ShouldGrantVote(int request_term, int candidate_id, bool candidate_log_up_to_date,
                     int current_term, int voted_for) {
  // Receiver rule 1: reply false if term < currentTerm.
  if (request_term < current_term) return false;
  // Receiver rule 2: grant only if votedFor is null or candidateId (one vote per term), and
  // the candidate's log is at least as up-to-date as ours.
  const bool free_to_vote = voted_for == -1 || voted_for == candidate_id;
  return free_to_vote && candidate_log_up_to_date;
}

int LeaderCommitIndex(std::vector<int> match_index, int commit_index, int current_term,
                      const std::function<int(int)>& term_at) {
  // After sorting in descending order, the value at position n/2 is stored on at least
  // n/2 + 1 servers (a majority), and it is the highest such value.
  std::sort(match_index.begin(), match_index.end(), std::greater<>());
  const int majority_index = match_index[match_index.size() / 2];
  if (majority_index <= commit_index) return commit_index;
  // §5.4.2 (Figure 8): only an entry of the current term is committed by counting replicas.
  // Terms never decrease along a log, so if log[majority_index] is older than currentTerm,
  // every lower entry is too and nothing can be committed yet.
  if (term_at(majority_index) != current_term) return commit_index;
  return majority_index;
}

int FollowerCommitIndex(int commit_index, int leader_commit, int last_new_index) {
  if (leader_commit <= commit_index) return commit_index;
  return std::max(commit_index, std::min(leader_commit, last_new_index));
}

int NextIndexAfterReject(int conflict_index, int conflict_term, int leader_last_index_of_term) {
  if (conflict_term < 0) return conflict_index;  // the follower's log is too short
  if (leader_last_index_of_term >= 0) return leader_last_index_of_term + 1;
  return conflict_index;  // the leader has no entry of that term: skip all of it
}

}  // namespace raft::rules
