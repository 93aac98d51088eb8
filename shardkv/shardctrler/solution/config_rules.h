// Lab 4A reference: how Join, Leave and Move turn the latest configuration into the next one.
// Pure functions of their arguments, free of Raft, tasks and locks, so that every replica
// computes the same configuration and so that they are unit-tested on their own
// (config_rules_test.cpp).
//
// Rebalancing (Join and Leave): shards on gid 0 or on a group that is gone are free; then the
// shards are divided among the groups so that counts differ by at most one, keeping as many
// shards where they are as possible. With n groups, every group is entitled to
// kNShards / n shards, and kNShards % n of them to one more: those extra places go to the
// groups that hold the most shards (ties: the smaller gid), since they would otherwise have to
// give one up. A group above its target gives up its highest-numbered shards; groups below it
// take free shards, smallest gid first, smallest shard first. Every step visits groups in gid
// order or in an order fixed by (count, gid): nothing depends on a container's hash order.
//
// Consequences the tests check: after a Join no group that was already present gains a shard,
// and after a Leave no group that stays loses one.
#ifndef SHARDCTRLER_SOLUTION_CONFIG_RULES_H_
#define SHARDCTRLER_SOLUTION_CONFIG_RULES_H_

#include <string>
#include <vector>

#include "common.h"

namespace shardctrler {

// Why the request cannot be executed on `latest`, or "" if it can. A Join must name gids > 0
// (gid 0 means "no group") each with at least one server; a Move must name a shard in
// [0, kNShards) and a gid that is a group of `latest`.
std::string InvalidJoin(const GroupServers& servers);
std::string InvalidMove(const Config& latest, int shard, int gid);

// The configuration after each request: numbered latest.num + 1, with its own copy of the
// groups. A gid that joins again replaces its server list; leaving a gid that is not a group
// changes nothing but the number.
Config AfterJoin(const Config& latest, const GroupServers& servers);
Config AfterLeave(const Config& latest, const std::vector<int>& gids);
// REQUIRES: InvalidMove(latest, shard, gid) is "". Moves only that shard; no rebalancing.
Config AfterMove(const Config& latest, int shard, int gid);

// Rebalances config->shards over config->groups as the file comment says. With no groups,
// every shard goes to gid 0.
void Rebalance(Config* config);

}  // namespace shardctrler

#endif  // SHARDCTRLER_SOLUTION_CONFIG_RULES_H_
