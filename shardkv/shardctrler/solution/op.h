// Lab 4A reference: the command a ShardCtrler puts in the Raft log.
#ifndef SHARDCTRLER_SOLUTION_OP_H_
#define SHARDCTRLER_SOLUTION_OP_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common.h"

namespace shardctrler {

struct Op {
  std::string type;       // "Join", "Leave", "Move" or "Query"
  GroupServers servers;   // Join
  std::vector<int> gids;  // Leave
  int shard = 0;          // Move
  int gid = 0;            // Move
  int num = -1;           // Query
  // Who asked, and which of its requests this is: identifies the request across retries,
  // and lets a waiting handler recognise its own command at the index Raft gave it.
  std::int64_t client_id = 0;
  std::int64_t seq = 0;

  bool SameRequest(const Op& other) const {
    return client_id == other.client_id && seq == other.seq;
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Op, type, servers, gids, shard, gid, num, client_id, seq)

}  // namespace shardctrler

#endif  // SHARDCTRLER_SOLUTION_OP_H_
