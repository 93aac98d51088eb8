// Lab 2A: leader election (6.824 raft/test_test.go).
//
// Framework file: grading uses the original. Edit it only to debug.
#include <fmt/format.h>

#include "labrpc/testing/test.h"
#include "raft/tester/tester.h"

namespace raft {
namespace {

LAB_TEST("TestInitialElection2A", "[raft][2A]") {
  const int servers = 3;
  Tester t(servers, false, false);
  t.Begin("Test (2A): initial election");

  // Is a leader elected?
  t.CheckOneLeader();

  // Sleep a bit to avoid racing with followers learning of the election, then check that
  // all peers agree on the term.
  lab::sleep_for(std::chrono::milliseconds(50));
  const int term1 = t.CheckTerms();
  if (term1 < 1) t.Fail(fmt::format("term is {}, but should be at least 1", term1));

  // Do the leader and the term stay the same if there is no network failure?
  lab::sleep_for(2 * kElectionTimeout);
  const int term2 = t.CheckTerms();
  if (term1 != term2) fmt::print("warning: term changed even though there were no failures\n");

  // There should still be a leader.
  t.CheckOneLeader();

  t.End();
}

LAB_TEST("TestReElection2A", "[raft][2A]") {
  const int servers = 3;
  Tester t(servers, false, false);
  t.Begin("Test (2A): election after network failure");

  const int leader1 = t.CheckOneLeader();

  // If the leader disconnects, a new one should be elected.
  t.Disconnect(leader1);
  t.CheckOneLeader();

  // If the old leader rejoins, that should not disturb the new leader, and the old leader
  // should switch to follower.
  t.Connect(leader1);
  const int leader2 = t.CheckOneLeader();

  // If there is no quorum, no new leader should be elected.
  t.Disconnect(leader2);
  t.Disconnect((leader2 + 1) % servers);
  lab::sleep_for(2 * kElectionTimeout);

  // Check that the one connected server does not think it is the leader.
  t.CheckNoLeader();

  // If a quorum arises, it should elect a leader.
  t.Connect((leader2 + 1) % servers);
  t.CheckOneLeader();

  // Re-joining the last node should not prevent a leader from existing.
  t.Connect(leader2);
  t.CheckOneLeader();

  t.End();
}

LAB_TEST("TestManyElections2A", "[raft][2A]") {
  const int servers = 7;
  Tester t(servers, false, false);
  t.Begin("Test (2A): multiple elections");

  t.CheckOneLeader();

  const int iters = 10;
  for (int ii = 1; ii < iters; ++ii) {
    // Disconnect three nodes (possibly the same one more than once).
    const int i1 = static_cast<int>(RandInt() % servers);
    const int i2 = static_cast<int>(RandInt() % servers);
    const int i3 = static_cast<int>(RandInt() % servers);
    t.Disconnect(i1);
    t.Disconnect(i2);
    t.Disconnect(i3);

    // Either the current leader should still be alive, or the remaining four should elect a
    // new one.
    t.CheckOneLeader();

    t.Connect(i1);
    t.Connect(i2);
    t.Connect(i3);
  }

  t.CheckOneLeader();

  t.End();
}

}  // namespace
}  // namespace raft
