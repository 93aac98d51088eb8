// Lab 4B reference: one group's replicated state. The contract is in state_machine.h.
#include "state_machine.h"

#include <algorithm>
#include <utility>

namespace shardkv {

StateMachine::Result StateMachine::Apply(const Command& command) {
  switch (command.kind) {
    case Command::kClientOp:
      return ApplyClientOp(command);
    case Command::kConfig:
      ApplyConfig(command.config);
      break;
    case Command::kInsert:
      ApplyInsert(command);
      break;
    case Command::kDelete:
      ApplyDelete(command);
      break;
    case Command::kConfirm:
      ApplyConfirm(command);
      break;
    case Command::kNoop:
      break;
  }
  return Result{};
}

bool StateMachine::Serves(const std::string& key) const {
  const ShardState state = shards_[Key2Shard(key)].state;
  return state == ShardState::kServing || state == ShardState::kConfirming;
}

bool StateMachine::Stable() const {
  return std::all_of(shards_.begin(), shards_.end(), [](const Shard& shard) {
    return shard.state == ShardState::kServing || shard.state == ShardState::kInvalid;
  });
}

std::map<int, std::vector<int>> StateMachine::ShardsByPreviousOwner(ShardState state) const {
  std::map<int, std::vector<int>> by_gid;
  for (int s = 0; s < kNShards; ++s) {
    if (shards_[s].state == state) by_gid[prev_config_.shards[s]].push_back(s);
  }
  return by_gid;
}

StateMachine::Result StateMachine::ApplyClientOp(const Command& command) {
  // Decided here, in log order: a request that was accepted by a handler may have been
  // overtaken in the log by a configuration that moved its shard away.
  if (!Serves(command.key)) return Result{kErrWrongGroup, ""};
  ShardData& data = shards_[Key2Shard(command.key)].data;
  if (command.op != "Get") {
    auto [it, added] = last_write_seq_.try_emplace(command.client_id, 0);
    if (command.seq > it->second) {
      it->second = command.seq;
      if (command.op == "Put") {
        data[command.key] = command.value;
      } else {
        data[command.key] += command.value;
      }
    }
    return Result{};
  }
  auto it = data.find(command.key);
  if (it == data.end()) return Result{kErrNoKey, ""};
  return Result{kOK, it->second};
}

void StateMachine::ApplyConfig(const shardctrler::Config& next) {
  if (next.num != config_.num + 1 || !Stable()) return;  // not next in line, or too early
  for (int s = 0; s < kNShards; ++s) {
    const bool had = config_.shards[s] == gid_;
    const bool has = next.shards[s] == gid_;
    Shard& shard = shards_[s];
    if (has && !had) {
      // A shard nobody held (configuration 1, or a shard that had no group) starts empty.
      shard.state = config_.shards[s] == 0 ? ShardState::kServing : ShardState::kPulling;
    } else if (had && !has) {
      // With no new owner (every group left) nobody will ever pull it: it is dropped.
      shard.state = next.shards[s] == 0 ? ShardState::kInvalid : ShardState::kHandingOff;
      if (shard.state == ShardState::kInvalid) shard.data.clear();
    }
  }
  prev_config_ = std::move(config_);
  config_ = next;
}

void StateMachine::ApplyInsert(const Command& command) {
  if (command.config_num != config_.num) return;  // for another configuration
  bool inserted = false;
  for (const auto& [s, data] : command.shards) {
    if (s < 0 || s >= kNShards || shards_[s].state != ShardState::kPulling) continue;
    shards_[s].data = data;
    shards_[s].state = ShardState::kConfirming;
    inserted = true;
  }
  if (!inserted) return;  // a duplicate delivery: the table was merged the first time
  for (const auto& [client, seq] : command.dedup) {
    std::int64_t& mine = last_write_seq_[client];
    mine = std::max(mine, seq);
  }
}

void StateMachine::ApplyDelete(const Command& command) {
  if (command.config_num != config_.num) return;  // stale: deleted long ago
  for (int s : command.shard_ids) {
    if (s < 0 || s >= kNShards || shards_[s].state != ShardState::kHandingOff) continue;
    shards_[s].data.clear();
    shards_[s].state = ShardState::kInvalid;
  }
}

void StateMachine::ApplyConfirm(const Command& command) {
  if (command.config_num != config_.num) return;
  for (int s : command.shard_ids) {
    if (s < 0 || s >= kNShards || shards_[s].state != ShardState::kConfirming) continue;
    shards_[s].state = ShardState::kServing;
  }
}

Err StateMachine::Export(int config_num, const std::vector<int>& shards,
                         std::map<int, ShardData>* data, DedupTable* dedup) const {
  // Behind: this group has not yet frozen the shards (writes may still come). Ahead cannot
  // happen while the puller still needs them: a group keeps a handed-off shard, and stays in
  // its configuration, until the new owner has confirmed.
  if (config_.num < config_num) return kErrNotReady;
  for (int s : shards) {
    if (s < 0 || s >= kNShards || shards_[s].state != ShardState::kHandingOff ||
        config_.num != config_num) {
      return kErrNotReady;
    }
    (*data)[s] = shards_[s].data;
  }
  *dedup = last_write_seq_;
  return kOK;
}

lab::Bytes StateMachine::Snapshot() const {
  std::vector<int> states;
  std::vector<ShardData> data;
  for (const Shard& shard : shards_) {
    states.push_back(static_cast<int>(shard.state));
    data.push_back(shard.data);
  }
  lab::Encoder encoder;
  encoder.Put(config_).Put(prev_config_).Put(states).Put(data).Put(last_write_seq_);
  return encoder.Finish();
}

void StateMachine::Restore(const lab::Bytes& snapshot) {
  lab::Decoder decoder(snapshot);
  auto config = decoder.Get<shardctrler::Config>();
  auto prev_config = decoder.Get<shardctrler::Config>();
  auto states = decoder.Get<std::vector<int>>();
  auto data = decoder.Get<std::vector<ShardData>>();
  auto last_write_seq = decoder.Get<DedupTable>();
  if (states.size() != kNShards || data.size() != kNShards) {
    throw lab::CodecError("shardkv snapshot: expected " + std::to_string(kNShards) + " shards");
  }
  config_ = std::move(config);
  prev_config_ = std::move(prev_config);
  for (int s = 0; s < kNShards; ++s) {
    shards_[s].state = static_cast<ShardState>(states[s]);
    shards_[s].data = std::move(data[s]);
  }
  last_write_seq_ = std::move(last_write_seq);
}

}  // namespace shardkv
