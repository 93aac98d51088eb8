// Lab 4A: the ShardCtrler. Your implementation goes here (and in server.h).
#include "server.h"

#include <utility>

#include "labrpc/unimplemented.h"

namespace shardctrler {

// TODO(student, 4A): the command this server hands to Raft::Start, as in lab 3: what a replica
// needs to apply it (the kind of request and its arguments) and to recognise a duplicate (the
// Clerk's id and sequence number), with NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE.

ShardCtrler::ShardCtrler(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
                         std::shared_ptr<lab::Persister> persister)
    : me_(me), apply_ch_(std::make_shared<lab::Chan<raft::ApplyMsg>>()) {
  configs_.resize(1);  // configuration 0: no groups, every shard on gid 0
  rf_ = std::make_unique<raft::Raft>(std::move(servers), me, std::move(persister), apply_ch_);
  // TODO(student, 4A): start the task that reads apply_ch_ and applies each command.
}

// The tester destroys a ShardCtrler only after every task it started has ended.
ShardCtrler::~ShardCtrler() = default;

void ShardCtrler::RegisterRpcs(lab::Service& service) {
  service.Register("Join", this, &ShardCtrler::Join);
  service.Register("Leave", this, &ShardCtrler::Leave);
  service.Register("Move", this, &ShardCtrler::Move);
  service.Register("Query", this, &ShardCtrler::Query);
}

void ShardCtrler::Join(const JoinArgs& args, JoinReply* reply) {
  // TODO(student, 4A): start the command in Raft, wait until it is applied (or until it is
  // clear it never will be), and answer.
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("4A");
}

void ShardCtrler::Leave(const LeaveArgs& args, LeaveReply* reply) {
  // TODO(student, 4A): as Join.
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("4A");
}

void ShardCtrler::Move(const MoveArgs& args, MoveReply* reply) {
  // TODO(student, 4A): as Join.
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("4A");
}

void ShardCtrler::Query(const QueryArgs& args, QueryReply* reply) {
  // TODO(student, 4A): as Join; answer with the configuration asked for.
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("4A");
}

// Long-running tasks may check killed() to stop early; the tester also cancels them.
void ShardCtrler::Kill() {
  dead_ = true;
  rf_->Kill();
}

bool ShardCtrler::killed() const { return dead_; }

}  // namespace shardctrler
