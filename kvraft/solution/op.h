// Lab 3 reference: the command a KVServer puts in the Raft log.
#ifndef KVRAFT_SOLUTION_OP_H_
#define KVRAFT_SOLUTION_OP_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace kvraft {

struct Op {
  std::string type;  // "Get", "Put" or "Append"
  std::string key;
  std::string value;
  // Who asked, and which of its requests this is: identifies the operation across retries,
  // and lets a waiting handler recognise its own command at the index Raft gave it.
  std::int64_t client_id = 0;
  std::int64_t seq = 0;

  bool SameRequest(const Op& other) const {
    return client_id == other.client_id && seq == other.seq;
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Op, type, key, value, client_id, seq)

}  // namespace kvraft

#endif  // KVRAFT_SOLUTION_OP_H_
