// Lab 3 reference: the KVServer's construction and request handlers. The applier is in
// apply.cpp; the design is in server.h.
#include "server.h"

#include <mutex>
#include <utility>

namespace kvraft {

KVServer::KVServer(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
                   std::shared_ptr<lab::Persister> persister, int maxraftstate)
    : me_(me),
      persister_(std::move(persister)),
      maxraftstate_(maxraftstate),
      apply_ch_(std::make_shared<lab::Chan<raft::ApplyMsg>>()) {
  // Restore before Raft starts delivering: its first messages follow the snapshot.
  const lab::Bytes snapshot = persister_->ReadSnapshot();
  if (!snapshot.empty()) state_.Restore(snapshot);
  rf_ = std::make_unique<raft::Raft>(std::move(servers), me, persister_, apply_ch_);
  lab::go("kv-applier", [this] { Applier(); });
}

KVServer::~KVServer() = default;

void KVServer::RegisterRpcs(lab::Service& service) {
  service.Register("Get", this, &KVServer::Get);
  service.Register("PutAppend", this, &KVServer::PutAppend);
}

void KVServer::Kill() {
  dead_ = true;
  rf_->Kill();
}

bool KVServer::killed() const { return dead_; }

void KVServer::Get(const GetArgs& args, GetReply* reply) {
  std::string value;
  if (!Submit(Op{"Get", args.key, "", args.client_id, args.seq}, &value)) {
    reply->err = kErrWrongLeader;
    return;
  }
  reply->err = value.empty() ? kErrNoKey : kOK;
  reply->value = std::move(value);
}

void KVServer::PutAppend(const PutAppendArgs& args, PutAppendReply* reply) {
  std::string ignored;
  reply->err = Submit(Op{args.op, args.key, args.value, args.client_id, args.seq}, &ignored)
                   ? kOK
                   : kErrWrongLeader;
}

bool KVServer::Submit(const Op& op, std::string* value) {
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
  *value = std::move(waiter->value);
  return true;
}

}  // namespace kvraft
