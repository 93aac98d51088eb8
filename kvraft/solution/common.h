// Lab 3 reference: the RPC messages between the Clerk and the KVServers.
#ifndef KVRAFT_SOLUTION_COMMON_H_
#define KVRAFT_SOLUTION_COMMON_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace kvraft {

using Err = std::string;
inline const Err kOK = "OK";
inline const Err kErrNoKey = "ErrNoKey";
inline const Err kErrWrongLeader = "ErrWrongLeader";

// Every request names its Clerk and that Clerk's sequence number for it. A Clerk has one
// request outstanding at a time and numbers them 1, 2, 3, ...; a retry keeps the number, so a
// server that has executed (client_id, seq) knows a later copy is a duplicate.
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

}  // namespace kvraft

#endif  // KVRAFT_SOLUTION_COMMON_H_
