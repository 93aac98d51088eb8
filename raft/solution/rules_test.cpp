// Unit tests of the reference solution's decision functions (rules.h): one rule of the paper
// per test case, each a table of inputs and the expected decision. No cluster, no runtime.
#include "rules.h"

#include <map>
#include <vector>

#include "labrpc/testing/catch.h"

namespace raft::rules {
namespace {

TEST_CASE("§5.4.1 a candidate's log must be at least as up-to-date as the voter's",
          "[raft][rules]") {
  struct Row {
    int candidate_last_term, candidate_last_index, voter_last_term, voter_last_index;
    bool up_to_date;
  };
  const Row rows[] = {
      {2, 5, 2, 5, true},   // identical
      {2, 6, 2, 5, true},   // same last term, longer
      {2, 4, 2, 5, false},  // same last term, shorter
      {3, 1, 2, 9, true},   // later last term wins over length
      {1, 9, 2, 1, false},  // earlier last term loses despite length
      {0, 0, 0, 0, true},   // two empty logs
  };
  for (const Row& r : rows) {
    CAPTURE(r.candidate_last_term, r.candidate_last_index, r.voter_last_term, r.voter_last_index);
    CHECK(CandidateLogUpToDate(r.candidate_last_term, r.candidate_last_index, r.voter_last_term,
                               r.voter_last_index) == r.up_to_date);
  }
}

TEST_CASE("Figure 2 RequestVote: one vote per term, none for a stale term", "[raft][rules]") {
  struct Row {
    int request_term, candidate, current_term, voted_for;
    bool log_ok, grant;
  };
  const Row rows[] = {
      {5, 1, 5, -1, true, true},    // free to vote, log ok
      {5, 1, 5, 1, true, true},     // already voted for this candidate: repeat the vote
      {5, 1, 5, 2, true, false},    // already voted for someone else in this term
      {4, 1, 5, -1, true, false},   // stale term (rule 1)
      {5, 1, 5, -1, false, false},  // candidate's log is behind (§5.4.1)
  };
  for (const Row& r : rows) {
    CAPTURE(r.request_term, r.candidate, r.current_term, r.voted_for, r.log_ok);
    CHECK(ShouldGrantVote(r.request_term, r.candidate, r.log_ok, r.current_term, r.voted_for) ==
          r.grant);
  }
}

TEST_CASE("Figure 2 Leaders: commit the highest majority index of the current term only",
          "[raft][rules]") {
  // Log terms by index (index 0 is the sentinel); the leader's current term is 4.
  const std::map<int, int> terms = {{0, 0}, {1, 1}, {2, 2}, {3, 2}, {4, 4}, {5, 4}};
  auto term_at = [&](int index) { return terms.at(index); };
  struct Row {
    std::vector<int> match_index;
    int commit_index, expected;
  };
  const Row rows[] = {
      {{5, 5, 0}, 0, 5},        // 2 of 3 hold index 5 (term 4)
      {{5, 4, 0}, 0, 4},        // the majority holds only up to 4 (term 4)
      {{5, 3, 3}, 0, 0},        // Figure 8: index 3 is on a majority but from term 2
      {{5, 3, 3}, 2, 2},        // ... and commit_index does not move either
      {{5, 5, 5, 0, 0}, 1, 5},  // 3 of 5
      {{5, 5, 0, 0, 0}, 1, 1},  // 2 of 5 is no majority
      {{5, 5, 5}, 5, 5},        // already committed
  };
  for (const Row& r : rows) {
    CAPTURE(r.match_index, r.commit_index);
    CHECK(LeaderCommitIndex(r.match_index, r.commit_index, 4, term_at) == r.expected);
  }
}

TEST_CASE("Figure 2 AppendEntries rule 5: commitIndex = min(leaderCommit, last new entry)",
          "[raft][rules]") {
  CHECK(FollowerCommitIndex(2, 5, 7) == 5);
  CHECK(FollowerCommitIndex(2, 9, 7) == 7);
  CHECK(FollowerCommitIndex(6, 9, 4) == 6);  // a short (heartbeat-like) message never lowers it
  CHECK(FollowerCommitIndex(6, 3, 9) == 6);
}

TEST_CASE("Fast backup: skip a whole conflicting term per round trip", "[raft][rules]") {
  struct Row {
    int conflict_index, conflict_term, leader_last_of_term, expected;
  };
  const Row rows[] = {
      {4, -1, -1, 4},  // follower's log too short: resume at its end
      {3, 5, 7, 8},    // leader has term 5 too: resume after its last entry of it
      {3, 5, -1, 3},   // leader has no term 5: overwrite all of the follower's term 5
  };
  for (const Row& r : rows) {
    CAPTURE(r.conflict_index, r.conflict_term, r.leader_last_of_term);
    CHECK(NextIndexAfterReject(r.conflict_index, r.conflict_term, r.leader_last_of_term) ==
          r.expected);
  }
}

}  // namespace
}  // namespace raft::rules
