// The checks of 6.824's shardctrler/test_test.go (check, check_same_config), and the
// minimal-transfer checks made real.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Each check fails the run through lab::Fatal with the original's words and a hint.
#ifndef SHARDCTRLER_TESTS_CHECKS_H_
#define SHARDCTRLER_TESTS_CHECKS_H_

#include <string>
#include <vector>

#include "shardctrler/client.h"
#include "shardctrler/common.h"

namespace shardctrler {

// check(): the latest configuration has exactly the groups `groups`, every shard is on one of
// them (when there are any), and the shard counts of the groups differ by at most one.
void Check(const std::vector<int>& groups, Clerk& ck);

// check_same_config(): equal numbers, shard assignments and server lists.
void CheckSameConfig(const Config& c1, const Config& c2);

// Group `gid` has exactly the servers `servers`, in order.
void CheckServers(const Config& c, int gid, const std::vector<std::string>& servers);

// The "Minimal transfers" checks. The original examines gids 1..10, which are never groups at
// that point, so it checks nothing; this port examines the groups that are there, in every
// configuration from `before` to `after` (queried by number through `ck`: each Join and Leave
// must move as few shards as it can, not only the sequence as a whole):
//   After Join()s: no group that was already present gains a shard.
//   After Leave()s: no group that stays loses a shard.
// And for both: no more shards change group than a balanced configuration needs.
enum class Change { kJoins, kLeaves };
void CheckMinimalTransfers(Clerk& ck, const Config& before, const Config& after, Change change);

// The fewest shards that must change group to turn `before` into any balanced configuration
// of the groups `after` (kept shards are at most the largest holders' entitlements).
int MinimalTransfers(const Config& before, const GroupServers& after);

}  // namespace shardctrler

#endif  // SHARDCTRLER_TESTS_CHECKS_H_
