// Lab 4A reference: the shard controller's configurations and the RPC messages between its
// Clerk and its servers.
//
// The key space is split into kNShards shards; a configuration says which replica group
// (named by a gid > 0) serves each shard, and which servers make up each group. The
// controller keeps the numbered history of configurations; configuration 0 has no groups and
// every shard on gid 0, which means "no group".
//
// Every request names its Clerk and that Clerk's sequence number for it (client_id, seq), as in
// lab 3: a retry keeps the number, so a server recognises a request it has already executed.
#ifndef SHARDCTRLER_SOLUTION_COMMON_H_
#define SHARDCTRLER_SOLUTION_COMMON_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardctrler {

// The number of shards.
inline constexpr int kNShards = 10;

// gid -> the names of the group's servers. A std::map: iterating it visits gids in increasing
// order on every replica (an unordered_map's order may differ between replicas).
using GroupServers = std::map<int, std::vector<std::string>>;

// One configuration: which group serves each shard.
struct Config {
  int num = 0;                         // configuration number
  std::array<int, kNShards> shards{};  // shard -> gid (0: no group)
  GroupServers groups;                 // gid -> servers

  bool operator==(const Config&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Config, num, shards, groups)

// Replies carry one of these (and wrong_leader, as the original's).
using Err = std::string;
inline const Err kOK = "OK";

// Join: add the groups in `servers` (new gids, or gids that left earlier).
struct JoinArgs {
  GroupServers servers;
  std::int64_t client_id = 0;
  std::int64_t seq = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(JoinArgs, servers, client_id, seq)

struct JoinReply {
  bool wrong_leader = false;
  Err err;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(JoinReply, wrong_leader, err)

// Leave: remove the groups `gids`.
struct LeaveArgs {
  std::vector<int> gids;
  std::int64_t client_id = 0;
  std::int64_t seq = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LeaveArgs, gids, client_id, seq)

struct LeaveReply {
  bool wrong_leader = false;
  Err err;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LeaveReply, wrong_leader, err)

// Move: put shard `shard` on group `gid`.
struct MoveArgs {
  int shard = 0;
  int gid = 0;
  std::int64_t client_id = 0;
  std::int64_t seq = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MoveArgs, shard, gid, client_id, seq)

struct MoveReply {
  bool wrong_leader = false;
  Err err;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MoveReply, wrong_leader, err)

// Query: configuration `num`, or the latest one if num is -1 or larger than the latest.
struct QueryArgs {
  int num = -1;
  std::int64_t client_id = 0;
  std::int64_t seq = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(QueryArgs, num, client_id, seq)

struct QueryReply {
  bool wrong_leader = false;
  Err err;
  Config config;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(QueryReply, wrong_leader, err, config)

}  // namespace shardctrler

#endif  // SHARDCTRLER_SOLUTION_COMMON_H_
