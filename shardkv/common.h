// Lab 4B: the RPC messages of the sharded key/value service. This is your file: the Clerk's
// messages are given; add those your groups exchange to move shards.
//
// A key belongs to shard Key2Shard(key); the shard controller's current configuration says
// which replica group serves each shard. Requests name their Clerk and its sequence number
// (client_id, seq), as in lab 3, and the duplicate table that makes them exactly-once travels
// with the shards when they move between groups.
#ifndef SHARDKV_COMMON_H_
#define SHARDKV_COMMON_H_

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

// The shard a key belongs to: its first byte mod kNShards ("" is in shard 0).
inline int Key2Shard(const std::string& key) {
  if (key.empty()) return 0;
  return static_cast<unsigned char>(key[0]) % kNShards;
}

// Builds an end to the server of that name (the tester's make_end).
using MakeEnd = std::function<std::shared_ptr<lab::ClientEnd>(const std::string&)>;

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

// TODO(student, 4B): the messages your groups exchange to move shards (the data, and the
// duplicate table, so that requests stay exactly-once across moves), and to let a group
// delete a shard its new owner has (challenge 1). Remember NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE.

}  // namespace shardkv

#endif  // SHARDKV_COMMON_H_
