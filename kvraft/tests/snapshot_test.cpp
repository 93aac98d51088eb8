// Part 3B: snapshots. The 9 tests of 6.824's kvraft/test_test.go (2022) for 3B, in its order,
// with its constants. Each is tagged [kvraft][3B]: `./lab test kvraft 3B` runs them.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "labrpc/testing/test.h"
#include "scenarios.h"

namespace kvraft {
namespace {

using namespace std::chrono_literals;

void CheckLogTrimmed(Tester& t, int maxraftstate) {
  const std::size_t sz = t.LogSize();
  if (sz > 8 * static_cast<std::size_t>(maxraftstate)) {
    Tester::Fail(fmt::format(
        "logs were not trimmed ({} > 8*{})\n(snapshot with Raft::Snapshot when "
        "persister->RaftStateSize() nears maxraftstate, and make Raft drop the entries the "
        "snapshot covers)",
        sz, maxraftstate));
  }
}

// Check that snapshots work when a lagging server must catch up through InstallSnapshot.
LAB_TEST("TestSnapshotRPC3B", "[kvraft][3B]") {
  constexpr int kMaxRaftState = 1000;
  Tester t(3, /*unreliable=*/false, kMaxRaftState);
  std::shared_ptr<Tester::Client> ck = t.MakeClient(t.All());
  t.Begin("Test: InstallSnapshot RPC (3B)");

  t.Put(*ck, "a", "A");
  t.Check(*ck, "a", "A");

  // A bunch of puts into the majority partition.
  t.Partition({0, 1}, {2});
  {
    std::shared_ptr<Tester::Client> ck1 = t.MakeClient({0, 1});
    for (int i = 0; i < 50; ++i) t.Put(*ck1, std::to_string(i), std::to_string(i));
    lab::sleep_for(kElectionTimeout);
    t.Put(*ck1, "b", "B");
  }

  // The majority must have thrown away most of its log entries.
  CheckLogTrimmed(t, kMaxRaftState);

  // Now a majority that needs the lagging server, which must catch up.
  t.Partition({0, 2}, {1});
  {
    std::shared_ptr<Tester::Client> ck1 = t.MakeClient({0, 2});
    t.Put(*ck1, "c", "C");
    t.Put(*ck1, "d", "D");
    t.Check(*ck1, "a", "A");
    t.Check(*ck1, "b", "B");
    t.Check(*ck1, "1", "1");
    t.Check(*ck1, "49", "49");
  }

  // Now everybody.
  t.Partition({0, 1, 2}, {});
  t.Put(*ck, "e", "E");
  t.Check(*ck, "c", "C");
  t.Check(*ck, "e", "E");
  t.Check(*ck, "1", "1");
  t.End();
}

// Are the snapshots not too huge? 500 bytes is a generous bound for the operations below.
LAB_TEST("TestSnapshotSize3B", "[kvraft][3B]") {
  constexpr int kMaxRaftState = 1000;
  constexpr std::size_t kMaxSnapshotState = 500;
  Tester t(3, /*unreliable=*/false, kMaxRaftState);
  std::shared_ptr<Tester::Client> ck = t.MakeClient(t.All());
  t.Begin("Test: snapshot size is reasonable (3B)");

  for (int i = 0; i < 200; ++i) {
    t.Put(*ck, "x", "0");
    t.Check(*ck, "x", "0");
    t.Put(*ck, "x", "1");
    t.Check(*ck, "x", "1");
  }

  // The servers must have thrown away most of their log entries.
  CheckLogTrimmed(t, kMaxRaftState);

  // The snapshots must not be unreasonably large.
  const std::size_t ssz = t.SnapshotSize();
  if (ssz > kMaxSnapshotState) {
    Tester::Fail(
        fmt::format("snapshot too large ({} > {})\n(a snapshot holds the key/value map and the "
                    "duplicate table, nothing else: not the log, not per-request history)",
                    ssz, kMaxSnapshotState));
  }
  t.End();
}

LAB_TEST("TestSpeed3B", "[kvraft][3B]") { GenericTestSpeed("3B", 1000); }

LAB_TEST("TestSnapshotRecover3B", "[kvraft][3B]") {
  // Test: restarts, snapshots, one client (3B) ...
  GenericTest("3B", 1, 5, false, true, false, 1000, false);
}

LAB_TEST("TestSnapshotRecoverManyClients3B", "[kvraft][3B]") {
  // Test: restarts, snapshots, many clients (3B) ...
  GenericTest("3B", 20, 5, false, true, false, 1000, false);
}

LAB_TEST("TestSnapshotUnreliable3B", "[kvraft][3B]") {
  // Test: unreliable net, snapshots, many clients (3B) ...
  GenericTest("3B", 5, 5, true, false, false, 1000, false);
}

LAB_TEST("TestSnapshotUnreliableRecover3B", "[kvraft][3B]") {
  // Test: unreliable net, restarts, snapshots, many clients (3B) ...
  GenericTest("3B", 5, 5, true, true, false, 1000, false);
}

LAB_TEST("TestSnapshotUnreliableRecoverConcurrentPartition3B", "[kvraft][3B]") {
  // Test: unreliable net, restarts, partitions, snapshots, many clients (3B) ...
  GenericTest("3B", 5, 5, true, true, true, 1000, false);
}

LAB_TEST("TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable3B", "[kvraft][3B]") {
  // Test: unreliable net, restarts, partitions, snapshots, random keys, many clients (3B) ...
  GenericTest("3B", 15, 7, true, true, true, 1000, true);
}

}  // namespace
}  // namespace kvraft
