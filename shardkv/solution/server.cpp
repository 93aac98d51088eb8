// Lab 4B reference: the ShardKV server's construction and request handlers. The applier is
// in apply.cpp, reconfiguration in migration.cpp; the design is in server.h.
#include "server.h"

#include <mutex>
#include <utility>

namespace shardkv {

ShardKV::ShardKV(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
                 std::shared_ptr<lab::Persister> persister, int maxraftstate, int gid,
                 std::vector<std::shared_ptr<lab::ClientEnd>> ctrlers, MakeEnd make_end)
    : me_(me),
      gid_(gid),
      persister_(std::move(persister)),
      maxraftstate_(maxraftstate),
      make_end_(std::move(make_end)),
      apply_ch_(std::make_shared<lab::Chan<raft::ApplyMsg>>(kApplyBuffer)),
      ctrler_(std::move(ctrlers)),
      state_(gid) {
  // Restore before Raft starts delivering: its first messages follow the snapshot.
  const lab::Bytes snapshot = persister_->ReadSnapshot();
  if (!snapshot.empty()) state_.Restore(snapshot);
  rf_ = std::make_unique<raft::Raft>(std::move(servers), me, persister_, apply_ch_);
  lab::go("shardkv-applier", [this] { Applier(); });
  lab::go("shardkv-config-poller", [this] { ConfigPoller(); });
  lab::go("shardkv-migrator", [this] { Migrator(); });
}

ShardKV::~ShardKV() = default;

void ShardKV::RegisterRpcs(lab::Service& service) {
  service.Register("Get", this, &ShardKV::Get);
  service.Register("PutAppend", this, &ShardKV::PutAppend);
  service.Register("PullShards", this, &ShardKV::PullShards);
  service.Register("DeleteShards", this, &ShardKV::DeleteShards);
}

void ShardKV::Kill() {
  dead_ = true;
  rf_->Kill();
}

bool ShardKV::killed() const { return dead_; }

bool ShardKV::IsLeader() { return rf_->GetState().is_leader; }

void ShardKV::Get(const GetArgs& args, GetReply* reply) {
  {
    std::lock_guard lock(mu_);
    if (!state_.Serves(args.key)) {  // a hint only: the applier decides
      reply->err = kErrWrongGroup;
      return;
    }
  }
  Command command;
  command.kind = Command::kClientOp;
  command.op = "Get";
  command.key = args.key;
  command.client_id = args.client_id;
  command.seq = args.seq;
  StateMachine::Result result;
  if (!Submit(command, &result)) {
    reply->err = kErrWrongLeader;
    return;
  }
  reply->err = result.err;
  reply->value = std::move(result.value);
}

void ShardKV::PutAppend(const PutAppendArgs& args, PutAppendReply* reply) {
  {
    std::lock_guard lock(mu_);
    if (!state_.Serves(args.key)) {
      reply->err = kErrWrongGroup;
      return;
    }
  }
  Command command;
  command.kind = Command::kClientOp;
  command.op = args.op;
  command.key = args.key;
  command.value = args.value;
  command.client_id = args.client_id;
  command.seq = args.seq;
  StateMachine::Result result;
  reply->err = Submit(command, &result) ? result.err : kErrWrongLeader;
}

void ShardKV::PullShards(const PullShardsArgs& args, PullShardsReply* reply) {
  std::lock_guard lock(mu_);
  // Any replica that has applied configuration args.config_num holds the final data: a
  // handed-off shard takes no more writes.
  reply->err = state_.Export(args.config_num, args.shards, &reply->shards, &reply->dedup);
}

void ShardKV::DeleteShards(const DeleteShardsArgs& args, DeleteShardsReply* reply) {
  {
    std::lock_guard lock(mu_);
    if (state_.config().num > args.config_num) {  // deleted already, and moved on
      reply->err = kOK;
      return;
    }
  }
  Command command;
  command.kind = Command::kDelete;
  command.config_num = args.config_num;
  command.shard_ids = args.shards;
  StateMachine::Result result;
  reply->err = Submit(command, &result) ? kOK : kErrWrongLeader;
}

bool ShardKV::Submit(const Command& command, StateMachine::Result* result) {
  std::unique_lock lock(mu_);
  if (killed()) return false;
  const raft::StartResult start = rf_->Start(command);
  if (!start.is_leader) return false;

  auto waiter = std::make_shared<Waiter>();
  waiter->command = command;
  if (auto old = waiters_.find(start.index); old != waiters_.end()) {
    old->second->done = true;  // an earlier term's handler: its entry was overwritten
    cond_.notify_all();
  }
  waiters_[start.index] = waiter;

  const lab::TimePoint deadline = lab::now() + kRequestTimeout;
  while (!waiter->done && lab::now() < deadline && !killed()) {
    cond_.wait_for(lock, std::chrono::milliseconds(50));
    const raft::RaftState state = rf_->GetState();
    if (state.term != start.term || !state.is_leader) break;
  }
  if (auto it = waiters_.find(start.index); it != waiters_.end() && it->second == waiter) {
    waiters_.erase(it);
  }
  if (!waiter->applied) return false;
  *result = std::move(waiter->result);
  return true;
}

}  // namespace shardkv
