// Lab 4A reference: the ShardCtrler's handlers and applier. The design is in server.h.
#include "server.h"

#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace shardctrler {
namespace {

// An Op of `type` carrying the Clerk's name for the request; the caller adds the arguments.
template <typename Args>
Op RequestOp(std::string type, const Args& args) {
  Op op;
  op.type = std::move(type);
  op.client_id = args.client_id;
  op.seq = args.seq;
  return op;
}

}  // namespace

ShardCtrler::ShardCtrler(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
                         std::shared_ptr<lab::Persister> persister)
    : me_(me), apply_ch_(std::make_shared<lab::Chan<raft::ApplyMsg>>()) {
  rf_ = std::make_unique<raft::Raft>(std::move(servers), me, std::move(persister), apply_ch_);
  lab::go("sc-applier", [this] { Applier(); });
}

ShardCtrler::~ShardCtrler() = default;

void ShardCtrler::RegisterRpcs(lab::Service& service) {
  service.Register("Join", this, &ShardCtrler::Join);
  service.Register("Leave", this, &ShardCtrler::Leave);
  service.Register("Move", this, &ShardCtrler::Move);
  service.Register("Query", this, &ShardCtrler::Query);
}

void ShardCtrler::Kill() {
  dead_ = true;
  rf_->Kill();
}

bool ShardCtrler::killed() const { return dead_; }

void ShardCtrler::Join(const JoinArgs& args, JoinReply* reply) {
  Op op = RequestOp("Join", args);
  op.servers = args.servers;
  StateMachine::Result result;
  reply->wrong_leader = !Submit(op, &result);
  reply->err = result.err;
}

void ShardCtrler::Leave(const LeaveArgs& args, LeaveReply* reply) {
  Op op = RequestOp("Leave", args);
  op.gids = args.gids;
  StateMachine::Result result;
  reply->wrong_leader = !Submit(op, &result);
  reply->err = result.err;
}

void ShardCtrler::Move(const MoveArgs& args, MoveReply* reply) {
  Op op = RequestOp("Move", args);
  op.shard = args.shard;
  op.gid = args.gid;
  StateMachine::Result result;
  reply->wrong_leader = !Submit(op, &result);
  reply->err = result.err;
}

void ShardCtrler::Query(const QueryArgs& args, QueryReply* reply) {
  Op op = RequestOp("Query", args);
  op.num = args.num;
  StateMachine::Result result;
  reply->wrong_leader = !Submit(op, &result);
  reply->err = result.err;
  reply->config = std::move(result.config);
}

bool ShardCtrler::Submit(const Op& op, StateMachine::Result* result) {
  std::unique_lock lock(mu_);
  if (killed()) return false;
  const raft::StartResult start = rf_->Start(op);
  if (!start.is_leader) return false;

  auto waiter = std::make_shared<Waiter>();
  waiter->op = op;
  if (auto old = waiters_.find(start.index); old != waiters_.end()) {
    // An earlier term's handler waited at this index: its entry was overwritten.
    old->second->done = true;
    cond_.notify_all();
  }
  waiters_[start.index] = waiter;

  const lab::TimePoint deadline = lab::now() + kRequestTimeout;
  while (!waiter->done && lab::now() < deadline && !killed()) {
    cond_.wait_for(lock, std::chrono::milliseconds(50));
    const raft::RaftState state = rf_->GetState();
    // Another term: whatever commits at the index may be someone else's Op.
    if (state.term != start.term || !state.is_leader) break;
  }
  if (auto it = waiters_.find(start.index); it != waiters_.end() && it->second == waiter) {
    waiters_.erase(it);
  }
  if (!waiter->applied) return false;
  *result = std::move(waiter->result);
  return true;
}

void ShardCtrler::Applier() {
  while (std::optional<raft::ApplyMsg> m = apply_ch_->recv()) {
    if (!m->command_valid) continue;  // the controller never snapshots
    std::lock_guard lock(mu_);
    if (m->command_index <= last_applied_) continue;
    const Op op = m->command.get<Op>();
    StateMachine::Result result = state_.Apply(op);
    last_applied_ = m->command_index;

    if (auto it = waiters_.find(m->command_index); it != waiters_.end()) {
      Waiter& waiter = *it->second;
      waiter.done = true;
      // Only this server's own request completes its waiter; another Op at the index means
      // leadership changed and the waiter's entry was overwritten.
      waiter.applied = waiter.op.SameRequest(op);
      if (waiter.applied) waiter.result = std::move(result);
      waiters_.erase(it);
      cond_.notify_all();
    }
  }
}

}  // namespace shardctrler
