// An extra, targeted test of Election Safety (not one of the 28 graded tests of the original).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Figure 2 allows one vote per term, and the vote must survive a crash (votedFor is persistent
// state). In the original suite two candidates rarely ask the same voter in the same term, so
// a server that votes twice, or forgets its vote when it restarts, usually passes. This test
// sets that situation up on purpose, round after round:
//
//   - Three servers. The leader L is crashed and restarted at once: it is now a follower that
//     still votes, and nobody sends heartbeats. The link between the other two, A and B, is
//     cut, so they can reach L but not each other.
//   - Whichever of A and B times out first (say A) wins a new term with L's vote. B cannot
//     hear A, so B times out too, still in the old term, and asks L for a vote in A's term.
//   - As soon as A leads, L is crashed and restarted again: its vote must come back from the
//     persister.
//   - L must refuse B (it voted for A in this term). If it grants, A and B both lead the same
//     term, which the test sees by polling every server every millisecond.
//
// It is hidden ([.]): run it with `./lab test raft "[extra]"`.
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "labrpc/testing/test.h"
#include "raft/tester/tester.h"

namespace raft {
namespace {

LAB_TEST("TestOneVotePerTerm2C", "[.][raft][extra]") {
  const int servers = 3;
  Tester t(servers, false, false);
  t.Begin("Test (2C): one vote per term, kept across a crash");

  std::map<int, int> leader_of_term;  // every (term, leader) any server ever claimed
  auto check_leaders = [&] {
    for (int i = 0; i < servers; ++i) {
      if (!t.Alive(i)) continue;
      const RaftState state = t.GetState(i);
      if (!state.is_leader) continue;
      const auto [it, inserted] = leader_of_term.emplace(state.term, i);
      if (!inserted && it->second != i) {
        t.Fail(fmt::format("term {} has 2 (>1) leaders: servers {} and {}", state.term, it->second,
                           i));
      }
    }
  };

  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    const int voter = t.CheckOneLeader();
    const int old_term = t.GetState(voter).term;
    const int a = (voter + 1) % servers;
    const int b = (voter + 2) % servers;

    t.SetLink(a, b, false);
    t.Start1(voter);  // crashes the leader and restarts it as a follower
    t.Connect(voter);

    // Watch for 3 election timeouts' worth of time; the first time A or B leads a newer
    // term, make the voter rely on its persisted vote.
    bool restarted = false;
    const auto deadline = lab::now() + 3 * kElectionTimeout;
    while (lab::now() < deadline) {
      check_leaders();
      if (!restarted) {
        for (int s : {a, b}) {
          const RaftState state = t.GetState(s);
          if (state.is_leader && state.term > old_term) {
            t.Start1(voter);
            t.Connect(voter);
            restarted = true;
            break;
          }
        }
      }
      lab::sleep_for(std::chrono::milliseconds(1));
    }

    t.SetLink(a, b, true);
    t.CheckOneLeader();
  }
  t.One(RandInt(), servers, true);

  t.End();
}

}  // namespace
}  // namespace raft
