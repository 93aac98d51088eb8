// Raft's decisions as pure functions of plain values.
//
// Each function states one rule of the paper (Figure 2 unless noted) with no locks, clocks or
// RPCs, so it can be read next to the paper and unit-tested without a cluster
// (rules_test.cpp). The Raft class gathers the inputs under its mutex, asks one of these
// functions, and acts on the answer.
#ifndef RAFT_SOLUTION_RULES_H_
#define RAFT_SOLUTION_RULES_H_

#include <functional>
#include <vector>

namespace raft::rules {

// §5.4.1: a candidate's log is at least as up-to-date as the voter's if its last entry has a
// higher term, or the same last term and at least the same length.
bool CandidateLogUpToDate(int candidate_last_term, int candidate_last_index, int voter_last_term,
                          int voter_last_index);

// Figure 2, RequestVote RPC, receiver implementation 1-2. `current_term` is the voter's term
// after it adopted a higher term carried by the request; `voted_for` is the candidate it voted
// for in that term, or -1.
bool ShouldGrantVote(int request_term, int candidate_id, bool candidate_log_up_to_date,
                     int current_term, int voted_for);

// Figure 2, Rules for Servers, Leaders, last bullet: the new commitIndex is the highest N
// stored on a majority (match_index holds one value per server, the leader's own last index
// included) such that log[N].term == currentTerm (§5.4.2: a leader never commits an entry of
// an earlier term by counting replicas; Figure 8 shows why). Returns commit_index when there
// is no such N above it. `term_at(N)` is called only for N > commit_index.
int LeaderCommitIndex(std::vector<int> match_index, int commit_index, int current_term,
                      const std::function<int(int)>& term_at);

// Figure 2, AppendEntries RPC, receiver implementation 5: if leaderCommit > commitIndex, set
// commitIndex = min(leaderCommit, index of last new entry). Never moves backwards.
int FollowerCommitIndex(int commit_index, int leader_commit, int last_new_index);

// Fast backup (the optimization sketched at the end of §5.3). A follower that rejects an
// AppendEntries reports where its log diverges:
//   conflict_term = -1: its log is too short; conflict_index = its last index + 1.
//   otherwise: its entry at prevLogIndex has term conflict_term, and conflict_index is the
//   first index it holds with that term.
// The leader then skips the whole conflicting term in one step: if it has entries of
// conflict_term, it resumes just after its last one (leader_last_index_of_term, -1 if none);
// otherwise at conflict_index. Returns the new nextIndex.
int NextIndexAfterReject(int conflict_index, int conflict_term, int leader_last_index_of_term);

}  // namespace raft::rules

#endif  // RAFT_SOLUTION_RULES_H_
