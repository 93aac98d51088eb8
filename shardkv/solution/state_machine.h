// Lab 4B reference: one replica group's replicated state, free of Raft, tasks and locks.
//
// Every replica of the group feeds it the same committed Commands (command.h) in the same
// order. It is deterministic and pure, so it is unit-tested on its own
// (state_machine_test.cpp).
//
// Each shard is in one of these states (in this group's view, under its current config):
//
//   kInvalid     not ours, nothing held;
//   kServing     ours, data here: Gets, Puts and Appends are executed;
//   kPulling     ours in the current config, but the data is still with the previous owner:
//                requests get ErrWrongGroup (the Clerk retries) until kInsert brings it;
//   kConfirming  ours and served (as kServing), but the previous owner has not yet been told
//                that it may delete its copy;
//   kHandingOff  no longer ours, data kept frozen until the new owner has it (kDelete).
//
// Configurations are taken one at a time and in order (kConfig with num == current + 1), and
// only when no shard is in transit (every shard kServing or kInvalid): a group never skips the
// migrations of a configuration. Shards move independently, so a shard that has arrived is
// served while others are still in transit (challenge 2), and a handed-off shard is deleted as
// soon as its new owner has confirmed that it holds it (challenge 1).
//
// Exactly once across moves: a shard's data travels with the previous owner's duplicate
// table, merged here by taking the larger seq per client. A Clerk has one request outstanding
// and numbers them in increasing order, so whatever seq a group has seen executed for a Clerk,
// every request of that Clerk with a smaller or equal seq has completed: the merge never makes
// a new request look like a duplicate.
#ifndef SHARDKV_SOLUTION_STATE_MACHINE_H_
#define SHARDKV_SOLUTION_STATE_MACHINE_H_

#include <array>
#include <map>
#include <string>
#include <vector>

#include "command.h"
#include "common.h"
#include "labrpc/codec.h"
#include "shardctrler/common.h"

namespace shardkv {

enum class ShardState { kInvalid, kServing, kPulling, kConfirming, kHandingOff };

class StateMachine {
 public:
  // What applying a command produced: for a client operation its error and what a Get reads.
  struct Result {
    Err err = kOK;
    std::string value;
  };

  // The state machine of group `gid`, at configuration 0 (no shards).
  explicit StateMachine(int gid) : gid_(gid) {}

  // Applies `command`. Commands that no longer apply (a configuration not next in line, shards
  // for another configuration, or already installed or deleted) change nothing.
  Result Apply(const Command& command);

  // Whether a request for `key` would be executed now (a hint for handlers; Apply decides).
  bool Serves(const std::string& key) const;
  // No shard in transit: the next configuration may be taken.
  bool Stable() const;

  const shardctrler::Config& config() const { return config_; }
  const shardctrler::Config& prev_config() const { return prev_config_; }
  ShardState state(int shard) const { return shards_[shard].state; }
  // Shards in state `state`, grouped by the gid that owned them in the previous configuration.
  std::map<int, std::vector<int>> ShardsByPreviousOwner(ShardState state) const;
  // The number of keys held for `shard`, whatever its state (tests).
  std::size_t KeyCount(int shard) const { return shards_[shard].data.size(); }

  // A pull for `args` (PullShardsArgs): the shards' data and the duplicate table if this group
  // has reached configuration args.config_num and hands them off; else kErrNotReady.
  Err Export(int config_num, const std::vector<int>& shards, std::map<int, ShardData>* data,
             DedupTable* dedup) const;

  // The whole state (configs, shard states and data, duplicate table) as bytes, and back.
  // Restore throws lab::CodecError on bytes that are not a snapshot.
  lab::Bytes Snapshot() const;
  void Restore(const lab::Bytes& snapshot);

 private:
  struct Shard {
    ShardState state = ShardState::kInvalid;
    ShardData data;
  };

  Result ApplyClientOp(const Command& command);
  void ApplyConfig(const shardctrler::Config& next);
  void ApplyInsert(const Command& command);
  void ApplyDelete(const Command& command);
  void ApplyConfirm(const Command& command);

  const int gid_;
  shardctrler::Config config_;       // the current configuration
  shardctrler::Config prev_config_;  // the one before (who to pull from)
  std::array<Shard, kNShards> shards_;
  DedupTable last_write_seq_;  // client id -> highest executed write seq
};

}  // namespace shardkv

#endif  // SHARDKV_SOLUTION_STATE_MACHINE_H_
