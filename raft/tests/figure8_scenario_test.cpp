// An extra, deterministic Figure 8 scenario (not one of the 28 graded tests of the original).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// The randomized Figure 8 tests of the original rarely produce the exact sequence in which a
// leader that commits an earlier term's entry by counting replicas (breaking §5.4.2) is caught.
// This test builds that sequence step by step with partitions, so the bug fails it on every
// seed. It is hidden ([.]): run it with `./lab test raft "[extra]"`.
#include <vector>

#include <fmt/format.h>

#include "labrpc/check.h"
#include "labrpc/testing/test.h"
#include "raft/tester/tester.h"

namespace raft {
namespace {

LAB_TEST("TestFigure8Scenario2C", "[.][raft][extra]") {
  const int servers = 5;
  Tester t(servers, false, false);
  t.Begin("Test (2C): Figure 8 scenario, step by step");

  t.One(RandInt(), servers, true);  // index 1, everywhere

  // Leader `s` appends a fresh command, which must land at index 2.
  auto start_at_index_2 = [&t](int s) {
    const StartResult r = t.Start(s, RandInt());
    if (!r.is_leader || r.index != 2) {
      t.Fail(fmt::format("leader {} rejected Start() or used index {} (expected 2)", s, r.index));
    }
  };

  // (a) Leader s1 and follower s2 only: s1 appends x at index 2; only s2 receives it.
  const int s1 = t.CheckOneLeader();
  const int s2 = (s1 + 1) % servers;
  const int others[3] = {(s1 + 2) % servers, (s1 + 3) % servers, (s1 + 4) % servers};
  for (int o : others) t.Disconnect(o);
  start_at_index_2(s1);  // x
  lab::sleep_for(kElectionTimeout / 2);

  // (b) The other three elect a leader s5 of a later term. Cut it off at once, then it
  // appends y at index 2, which nobody else receives.
  t.Disconnect(s1);
  t.Disconnect(s2);
  for (int o : others) t.Connect(o);
  const int s5 = t.CheckOneLeader();
  std::vector<int> rest;  // the two of the three that s5 leaves behind
  for (int o : others) {
    if (o != s5) rest.push_back(o);
  }
  LAB_CHECK(rest.size() == 2, "the leader {} is not among the connected servers", s5);
  const int a = rest[0];
  const int b = rest[1];
  t.Disconnect(a);
  t.Disconnect(b);
  start_at_index_2(s5);  // y
  lab::sleep_for(kElectionTimeout / 2);

  // (c) s5 goes away; s1, s2, a and b meet. Only s1 or s2 can win (their logs end in a later
  // term than a's and b's), and the winner replicates x, an entry of an earlier term, to a
  // majority. Counting replicas must not commit it (§5.4.2): no entry of the new term exists.
  t.Disconnect(s5);
  t.Connect(s1);
  t.Connect(s2);
  t.Connect(a);
  t.Connect(b);
  t.CheckOneLeader();
  lab::sleep_for(kElectionTimeout);

  // (d) s1 and s2 go away; s5 returns to a and b. Its log ends in a later term than theirs, so
  // it is the only one that can win, and it overwrites x with y at index 2. Had x been
  // committed in (c), two servers would now have applied different commands at index 2.
  t.Disconnect(s1);
  t.Disconnect(s2);
  t.Connect(s5);
  const int leader = t.CheckOneLeader();
  if (leader != s5) {
    t.Fail(fmt::format("server {} won an election although server {}'s log is more up to date",
                       leader, s5));
  }
  t.One(RandInt(), 3, true);

  // Everyone again.
  t.Connect(s1);
  t.Connect(s2);
  t.One(RandInt(), servers, true);

  t.End();
}

}  // namespace
}  // namespace raft
