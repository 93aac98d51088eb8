// Lab 4B reference: reconfiguration: the config poller, and the tasks that pull shards from
// their previous owners and tell those owners to delete them. The design is in server.h.
#include <mutex>
#include <utility>

#include "server.h"

namespace shardkv {

std::shared_ptr<lab::ClientEnd> ShardKV::End(const std::string& server) {
  auto [it, added] = ends_.try_emplace(server);
  if (added) it->second = make_end_(server);
  return it->second;
}

void ShardKV::ConfigPoller() {
  while (!killed()) {
    lab::sleep_for(kPollInterval);
    int next = 0;
    {
      std::lock_guard lock(mu_);
      // A group whose shards are in transit may get no request at all after a restart: without
      // an entry of its own term, a new leader would never apply what its log holds (a
      // deletion, say), and the migration would wait for ever.
      const raft::RaftState raft_state = rf_->GetState();
      if (raft_state.is_leader && raft_state.term != noop_term_) {
        Command noop;
        noop.kind = Command::kNoop;
        rf_->Start(noop);
        noop_term_ = raft_state.term;
      }
      // One configuration at a time: the next one waits until this one's shards have moved.
      if (!IsLeader() || !state_.Stable()) continue;
      next = state_.config().num + 1;
    }
    shardctrler::Config config = ctrler_.Query(next);  // an RPC: not under mu_
    std::lock_guard lock(mu_);
    if (config.num != next || state_.config().num + 1 != next) continue;
    Command command;
    command.kind = Command::kConfig;
    command.config = std::move(config);
    rf_->Start(command);  // applied once even if started twice (kConfig checks the number)
  }
}

void ShardKV::Migrator() {
  while (!killed()) {
    lab::sleep_for(kMigrateInterval);
    std::lock_guard lock(mu_);
    if (!IsLeader()) continue;
    const shardctrler::Config& prev = state_.prev_config();
    const int num = state_.config().num;
    for (auto& [gid, shards] : state_.ShardsByPreviousOwner(ShardState::kPulling)) {
      if (!pulling_from_.insert(gid).second) continue;  // a pull is in flight
      std::vector<std::string> servers = prev.groups.at(gid);
      lab::go("shardkv-pull", [this, gid, num, shards, servers = std::move(servers)] {
        Pull(gid, num, shards, servers);
      });
    }
    for (auto& [gid, shards] : state_.ShardsByPreviousOwner(ShardState::kConfirming)) {
      if (!cleaning_at_.insert(gid).second) continue;
      std::vector<std::string> servers = prev.groups.at(gid);
      lab::go("shardkv-clean", [this, gid, num, shards, servers = std::move(servers)] {
        Clean(gid, num, shards, servers);
      });
    }
  }
}

void ShardKV::Pull(int gid, int config_num, std::vector<int> shards,
                   std::vector<std::string> servers) {
  const PullShardsArgs args{config_num, shards};
  for (const std::string& server : servers) {
    std::shared_ptr<lab::ClientEnd> end;
    {
      std::lock_guard lock(mu_);
      end = End(server);
    }
    PullShardsReply reply;
    if (!end->Call("ShardKV.PullShards", args, &reply) || reply.err != kOK) continue;
    std::lock_guard lock(mu_);
    if (state_.config().num == config_num) {
      Command command;
      command.kind = Command::kInsert;
      command.config_num = config_num;
      command.shards = std::move(reply.shards);
      command.dedup = std::move(reply.dedup);
      rf_->Start(command);  // a duplicate insert is ignored when applied
    }
    break;
  }
  std::lock_guard lock(mu_);
  pulling_from_.erase(gid);
}

void ShardKV::Clean(int gid, int config_num, std::vector<int> shards,
                    std::vector<std::string> servers) {
  const DeleteShardsArgs args{config_num, shards};
  for (const std::string& server : servers) {
    std::shared_ptr<lab::ClientEnd> end;
    {
      std::lock_guard lock(mu_);
      end = End(server);
    }
    DeleteShardsReply reply;
    if (!end->Call("ShardKV.DeleteShards", args, &reply) || reply.err != kOK) continue;
    std::lock_guard lock(mu_);
    Command command;
    command.kind = Command::kConfirm;
    command.config_num = config_num;
    command.shard_ids = std::move(shards);
    rf_->Start(command);
    break;
  }
  std::lock_guard lock(mu_);
  cleaning_at_.erase(gid);
}

}  // namespace shardkv
