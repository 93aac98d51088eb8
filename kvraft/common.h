// Lab 3: the RPC messages between the Clerk and the KVServers. This is your file (with
// client.h/.cpp and server.h/.cpp).
//
// Fields cross the network only if the NLOHMANN macro lists them: a field you add but forget
// there arrives as its default value, silently.
#ifndef KVRAFT_COMMON_H_
#define KVRAFT_COMMON_H_

#include <string>

#include <nlohmann/json.hpp>

namespace kvraft {

// Replies carry one of these.
using Err = std::string;
inline const Err kOK = "OK";
inline const Err kErrNoKey = "ErrNoKey";
inline const Err kErrWrongLeader = "ErrWrongLeader";

// Put or Append.
struct PutAppendArgs {
  std::string key;
  std::string value;
  std::string op;  // "Put" or "Append"
  // TODO(student, 3A): fields that let a server recognise a request it has already executed
  // (a Clerk retries when it hears nothing back, and the first try may have succeeded).
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PutAppendArgs, key, value, op)

struct PutAppendReply {
  Err err;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PutAppendReply, err)

struct GetArgs {
  std::string key;
  // TODO(student, 3A): fields you need.
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(GetArgs, key)

struct GetReply {
  Err err;
  std::string value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(GetReply, err, value)

}  // namespace kvraft

#endif  // KVRAFT_COMMON_H_
