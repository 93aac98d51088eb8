// Lab 4B reference: the commands a ShardKV server puts in its group's Raft log.
//
// Everything that changes a group's state goes through the log, so that every replica of the
// group sees client operations, configuration changes and shard arrivals in one order:
//   kClientOp  a Get, Put or Append of a Clerk;
//   kConfig    move to configuration config.num (the next one: configurations are taken one at a
//              time, in order);
//   kInsert    the data of shards this group pulled for configuration config_num;
//   kDelete    the new owner has the shards this group handed off: drop them (challenge 1);
//   kConfirm   the previous owner has dropped the shards this group pulled: stop telling it;
//   kNoop      nothing: a new leader's first entry, which lets it commit (and so apply) the
//              entries of earlier terms even when no request arrives (Raft commits an
//              earlier term's entries only through one of its own term, Figure 8).
#ifndef SHARDKV_SOLUTION_COMMAND_H_
#define SHARDKV_SOLUTION_COMMAND_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common.h"
#include "shardctrler/common.h"

namespace shardkv {

struct Command {
  enum Kind { kClientOp, kConfig, kInsert, kDelete, kConfirm, kNoop };
  Kind kind = kClientOp;

  // kClientOp
  std::string op;  // "Get", "Put" or "Append"
  std::string key;
  std::string value;
  std::int64_t client_id = 0;
  std::int64_t seq = 0;

  // kConfig
  shardctrler::Config config;

  // kInsert, kDelete, kConfirm
  int config_num = 0;
  std::vector<int> shard_ids;       // kDelete, kConfirm
  std::map<int, ShardData> shards;  // kInsert
  DedupTable dedup;                 // kInsert: the previous owner's duplicate table

  // Whether `other` is the same request: lets a waiting handler recognise its own command at
  // the index Raft gave it.
  bool SameRequest(const Command& other) const {
    return kind == other.kind && client_id == other.client_id && seq == other.seq &&
           config_num == other.config_num && shard_ids == other.shard_ids;
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Command, kind, op, key, value, client_id, seq, config,
                                   config_num, shard_ids, shards, dedup)

}  // namespace shardkv

#endif  // SHARDKV_SOLUTION_COMMAND_H_
