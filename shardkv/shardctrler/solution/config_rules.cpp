// Lab 4A reference: the configuration rules. The contract is in config_rules.h.
#include "config_rules.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>

#include <fmt/format.h>

namespace shardctrler {

std::string InvalidJoin(const GroupServers& servers) {
  for (const auto& [gid, names] : servers) {
    if (gid <= 0) return fmt::format("Join of gid {}: gids must be > 0", gid);
    if (names.empty()) return fmt::format("Join of gid {} without servers", gid);
  }
  return "";
}

std::string InvalidMove(const Config& latest, int shard, int gid) {
  if (shard < 0 || shard >= kNShards) {
    return fmt::format("Move of shard {}: shards are 0..{}", shard, kNShards - 1);
  }
  if (!latest.groups.contains(gid)) {
    return fmt::format("Move of shard {} to gid {}, which is not a group", shard, gid);
  }
  return "";
}

Config AfterJoin(const Config& latest, const GroupServers& servers) {
  Config next = latest;
  ++next.num;
  for (const auto& [gid, names] : servers) next.groups[gid] = names;
  Rebalance(&next);
  return next;
}

Config AfterLeave(const Config& latest, const std::vector<int>& gids) {
  Config next = latest;
  ++next.num;
  for (int gid : gids) next.groups.erase(gid);
  Rebalance(&next);
  return next;
}

Config AfterMove(const Config& latest, int shard, int gid) {
  Config next = latest;
  ++next.num;
  next.shards[shard] = gid;
  return next;
}

void Rebalance(Config* config) {
  std::array<int, kNShards>& shards = config->shards;
  if (config->groups.empty()) {
    shards.fill(0);
    return;
  }

  // gid -> the shards it holds, ascending; shards of no current group are free.
  std::map<int, std::vector<int>> held;
  for (const auto& entry : config->groups) held[entry.first];
  std::vector<int> free;
  for (int shard = 0; shard < kNShards; ++shard) {
    auto it = held.find(shards[shard]);
    if (it == held.end()) {
      free.push_back(shard);
    } else {
      it->second.push_back(shard);
    }
  }

  // Targets: the kNShards % n places with one shard more go to the largest holders. `held`
  // lists gids in increasing order and stable_sort keeps that order among equal counts.
  std::vector<int> order;
  for (const auto& entry : held) order.push_back(entry.first);
  std::stable_sort(order.begin(), order.end(),
                   [&held](int a, int b) { return held.at(a).size() > held.at(b).size(); });
  const std::size_t n = order.size();
  std::map<int, std::size_t> target;
  for (std::size_t i = 0; i < n; ++i) {
    target[order[i]] = kNShards / n + (i < kNShards % n ? 1 : 0);
  }

  // Groups above their target give up their highest-numbered shards...
  for (auto& [gid, owned] : held) {
    while (owned.size() > target[gid]) {
      free.push_back(owned.back());
      owned.pop_back();
    }
  }
  // ... and groups below it take free shards, smallest gid and smallest shard first.
  std::sort(free.begin(), free.end());
  std::size_t next_free = 0;
  for (auto& [gid, owned] : held) {
    while (owned.size() < target[gid]) {
      shards[free[next_free]] = gid;
      owned.push_back(free[next_free]);
      ++next_free;
    }
  }
}

}  // namespace shardctrler
