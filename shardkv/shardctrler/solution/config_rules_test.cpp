// Unit tests of the reference's configuration rules and state machine: balance, minimal
// movement, determinism (ties broken by gid), copies of the groups, invalid requests and
// exactly-once.
#include "config_rules.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "labrpc/testing/catch.h"
#include "state_machine.h"

namespace shardctrler {
namespace {

GroupServers Groups(const std::vector<int>& gids) {
  GroupServers groups;
  for (int gid : gids) groups[gid] = {"s" + std::to_string(gid)};
  return groups;
}

std::map<int, int> Counts(const Config& c) {
  std::map<int, int> counts;
  for (const auto& entry : c.groups) counts[entry.first] = 0;
  for (int gid : c.shards) ++counts[gid];
  return counts;
}

void CheckBalanced(const Config& c) {
  const std::map<int, int> counts = Counts(c);
  int lo = kNShards;
  int hi = 0;
  for (const auto& [gid, count] : counts) {
    REQUIRE(c.groups.contains(gid));  // every shard on a current group
    lo = std::min(lo, count);
    hi = std::max(hi, count);
  }
  CHECK(hi <= lo + 1);
}

Op JoinOp(const GroupServers& servers, std::int64_t client, std::int64_t seq) {
  Op op;
  op.type = "Join";
  op.servers = servers;
  op.client_id = client;
  op.seq = seq;
  return op;
}

Op LeaveOp(const std::vector<int>& gids, std::int64_t client, std::int64_t seq) {
  Op op;
  op.type = "Leave";
  op.gids = gids;
  op.client_id = client;
  op.seq = seq;
  return op;
}

Op MoveOp(int shard, int gid, std::int64_t client, std::int64_t seq) {
  Op op;
  op.type = "Move";
  op.shard = shard;
  op.gid = gid;
  op.client_id = client;
  op.seq = seq;
  return op;
}

Op QueryOp(int num) {
  Op op;
  op.type = "Query";
  op.num = num;
  return op;
}

int Moved(const Config& a, const Config& b) {
  int moved = 0;
  for (int s = 0; s < kNShards; ++s) moved += a.shards[s] != b.shards[s] ? 1 : 0;
  return moved;
}

TEST_CASE("config rules: the first Join takes every shard", "[shardctrler][unit]") {
  const Config c = AfterJoin(Config{}, Groups({7}));
  CHECK(c.num == 1);
  for (int gid : c.shards) CHECK(gid == 7);
}

TEST_CASE("config rules: Joins balance and move only what they must", "[shardctrler][unit]") {
  Config c;
  for (int gid = 1; gid <= 12; ++gid) {
    const Config next = AfterJoin(c, Groups({gid}));
    CheckBalanced(next);
    // No group that was already present gains a shard.
    for (int s = 0; s < kNShards; ++s) {
      if (next.shards[s] != gid && c.shards[s] != 0) CHECK(next.shards[s] == c.shards[s]);
    }
    CHECK(next.num == c.num + 1);
    c = next;
  }
  CHECK(c.groups.size() == 12);
}

TEST_CASE("config rules: Leaves balance and move only the leavers' shards", "[shardctrler][unit]") {
  Config c = AfterJoin(Config{}, Groups({1, 2, 3, 4}));
  for (int gid : {2, 4, 1}) {
    const Config next = AfterLeave(c, {gid});
    CheckBalanced(next);
    for (int s = 0; s < kNShards; ++s) {
      if (c.shards[s] != gid) CHECK(next.shards[s] == c.shards[s]);
    }
    c = next;
  }
  for (int gid : c.shards) CHECK(gid == 3);
  c = AfterLeave(c, {3});
  CHECK(c.groups.empty());
  for (int gid : c.shards) CHECK(gid == 0);
}

TEST_CASE("config rules: a multi-join moves the minimum", "[shardctrler][unit]") {
  const Config c1 = AfterJoin(Config{}, Groups({1, 2}));  // 5 + 5
  const Config c2 = AfterJoin(c1, Groups({3, 4, 5}));     // 2 each
  CheckBalanced(c2);
  CHECK(Moved(c1, c2) == 6);
  const Config c3 = AfterLeave(c2, {3, 4, 5});
  CHECK(Moved(c2, c3) == 6);
  CheckBalanced(c3);
}

TEST_CASE("config rules: ties are broken by gid, not by container order", "[shardctrler][unit]") {
  // Three empty groups share 10 shards 4/3/3: the smallest gid gets the extra shard and the
  // lowest-numbered shards, whatever order the groups were given in.
  const Config a = AfterJoin(Config{}, Groups({30, 10, 20}));
  const Config b = AfterJoin(AfterJoin(Config{}, Groups({20})), Groups({30, 10}));
  CHECK(Counts(a) == std::map<int, int>{{10, 4}, {20, 3}, {30, 3}});
  CHECK(a.shards == std::array<int, kNShards>{10, 10, 10, 10, 20, 20, 20, 30, 30, 30});
  // From 20 holding everything: 20 keeps the extra place (largest holder), 10 and 30 fill.
  CHECK(b.shards == std::array<int, kNShards>{20, 20, 20, 20, 10, 10, 10, 30, 30, 30});
}

TEST_CASE("config rules: more groups than shards", "[shardctrler][unit]") {
  std::vector<int> gids;
  for (int gid = 1; gid <= kNShards + 3; ++gid) gids.push_back(gid);
  const Config c = AfterJoin(Config{}, Groups(gids));
  CheckBalanced(c);
  // The joined groups are all empty: the smallest gids get one shard each.
  for (int s = 0; s < kNShards; ++s) CHECK(c.shards[s] == s + 1);
}

TEST_CASE("config rules: Move moves one shard, and a Join may move it back",
          "[shardctrler][unit]") {
  const Config c1 = AfterJoin(Config{}, Groups({1, 2}));
  CHECK(InvalidMove(c1, 0, 2).empty());
  const Config c2 = AfterMove(c1, 0, 2);
  CHECK(c2.num == c1.num + 1);
  CHECK(c2.shards[0] == 2);
  CHECK(Moved(c1, c2) == 1);
  CheckBalanced(AfterJoin(c2, Groups({3})));
}

TEST_CASE("config rules: invalid requests are named", "[shardctrler][unit]") {
  const Config c = AfterJoin(Config{}, Groups({1}));
  CHECK(InvalidMove(c, kNShards, 1).find("shard 10") != std::string::npos);
  CHECK(InvalidMove(c, 0, 2).find("gid 2") != std::string::npos);
  CHECK(InvalidJoin(Groups({0})).find("gid 0") != std::string::npos);
  CHECK(InvalidJoin(GroupServers{{4, {}}}).find("without servers") != std::string::npos);
}

TEST_CASE("state machine: history, copies of the groups, exactly once", "[shardctrler][unit]") {
  StateMachine sm;
  CHECK(sm.Apply(JoinOp(Groups({1}), 5, 1)).err == kOK);
  // A retry of the same request adds no configuration.
  sm.Apply(JoinOp(Groups({1}), 5, 1));
  CHECK(sm.configs().size() == 2);
  sm.Apply(JoinOp(Groups({2}), 5, 2));
  sm.Apply(LeaveOp({1}, 6, 1));
  CHECK(sm.Latest().num == 3);
  // Earlier configurations kept their groups.
  CHECK(sm.configs()[2].groups.size() == 2);
  CHECK(sm.Apply(QueryOp(1)).config.groups.contains(1));
  CHECK(sm.Apply(QueryOp(-1)).config.num == 3);
  CHECK(sm.Apply(QueryOp(99)).config.num == 3);
  CHECK(sm.Apply(QueryOp(0)).config == Config{});
  const StateMachine::Result bad = sm.Apply(MoveOp(0, 9, 6, 2));
  CHECK(bad.err.find("not a group") != std::string::npos);
  CHECK(sm.Latest().num == 3);
}

}  // namespace
}  // namespace shardctrler
