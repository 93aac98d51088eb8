// Lab 4B reference: the RPC messages of the sharded key/value service, between Clerks and
// ShardKV servers and between the groups themselves (shard migration).
//
// A key belongs to shard Key2Shard(key); the shard controller's current configuration says
// which replica group serves each shard. Requests name their Clerk and its sequence number
// (client_id, seq), as in lab 3, and the duplicate table that makes them exactly-once travels
// with the shards when they move between groups.
#ifndef SHARDKV_SOLUTION_COMMON_H_
#define SHARDKV_SOLUTION_COMMON_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "labrpc/labrpc.h"
#include "shardctrler/common.h"

namespace shardkv {

using shardctrler::kNShards;

using Err = std::string;
inline const Err kOK = "OK";
inline const Err kErrNoKey = "ErrNoKey";
inline const Err kErrWrongGroup = "ErrWrongGroup";
inline const Err kErrWrongLeader = "ErrWrongLeader";
// A migration request reached a group that has not yet reached the configuration it names.
inline const Err kErrNotReady = "ErrNotReady";

// The shard a key belongs to: its first byte mod kNShards ("" is in shard 0).
inline int Key2Shard(const std::string& key) {
  if (key.empty()) return 0;
  return static_cast<unsigned char>(key[0]) % kNShards;
}

// Builds an end to the server of that name (the tester's make_end).
using MakeEnd = std::function<std::shared_ptr<lab::ClientEnd>(const std::string&)>;

// One shard's key/value pairs, and a duplicate table (client id -> highest executed seq).
using ShardData = std::map<std::string, std::string>;
using DedupTable = std::map<std::int64_t, std::int64_t>;

struct PutAppendArgs {
  std::string key;
  std::string value;
  std::string op;  // "Put" or "Append"
  std::int64_t client_id = 0;
  std::int64_t seq = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PutAppendArgs, key, value, op, client_id, seq)

struct PutAppendReply {
  Err err;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PutAppendReply, err)

struct GetArgs {
  std::string key;
  std::int64_t client_id = 0;
  std::int64_t seq = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(GetArgs, key, client_id, seq)

struct GetReply {
  Err err;
  std::string value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(GetReply, err, value)

// Migration, step 1: the new owner of `shards` in configuration `config_num` asks their
// previous owner for their data (and its duplicate table).
struct PullShardsArgs {
  int config_num = 0;
  std::vector<int> shards;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PullShardsArgs, config_num, shards)

struct PullShardsReply {
  Err err;  // kOK, or kErrNotReady while the previous owner is behind
  std::map<int, ShardData> shards;
  DedupTable dedup;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PullShardsReply, err, shards, dedup)

// Migration, step 2 (challenge 1): the new owner has installed the shards; their previous
// owner may delete its copy.
struct DeleteShardsArgs {
  int config_num = 0;
  std::vector<int> shards;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DeleteShardsArgs, config_num, shards)

struct DeleteShardsReply {
  Err err;  // kOK once the deletion is in the previous owner's log and applied
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DeleteShardsReply, err)

}  // namespace shardkv

#endif  // SHARDKV_SOLUTION_COMMON_H_
