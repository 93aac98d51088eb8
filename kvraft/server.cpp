// Lab 3: the KVServer. Your implementation goes here (and in server.h).
#include "server.h"

#include <utility>

#include "labrpc/unimplemented.h"

namespace kvraft {

// TODO(student, 3A): the command this server hands to Raft::Start: what a replica needs to
// apply it (the operation, key, value) and to recognise a duplicate (the Clerk's id and
// sequence number). Raft carries commands as nlohmann::json, so give it the macro:
//   struct Op { std::string type, key, value; ... };
//   NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Op, type, key, value, ...)
// then rf_->Start(op) converts it, and msg.command.get<Op>() converts it back.

KVServer::KVServer(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
                   std::shared_ptr<lab::Persister> persister, int maxraftstate)
    : me_(me),
      persister_(std::move(persister)),
      maxraftstate_(maxraftstate),
      apply_ch_(std::make_shared<lab::Chan<raft::ApplyMsg>>()) {
  rf_ = std::make_unique<raft::Raft>(std::move(servers), me, persister_, apply_ch_);
  // TODO(student, 3A): start the task that reads apply_ch_ and applies each command.
  // TODO(student, 3B): first restore the state from persister_->ReadSnapshot().
}

// The tester destroys a KVServer only after every task it started has ended.
KVServer::~KVServer() = default;

void KVServer::RegisterRpcs(lab::Service& service) {
  service.Register("Get", this, &KVServer::Get);
  service.Register("PutAppend", this, &KVServer::PutAppend);
}

void KVServer::Get(const GetArgs& args, GetReply* reply) {
  // TODO(student, 3A): start the command in Raft, wait until it is applied (or until it is
  // clear it never will be), and answer.
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("3A");
}

void KVServer::PutAppend(const PutAppendArgs& args, PutAppendReply* reply) {
  // TODO(student, 3A): as Get; execute each Clerk request once, however often it is sent.
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("3A");
}

// Long-running tasks may check killed() to stop early; the tester also cancels them.
void KVServer::Kill() {
  dead_ = true;
  rf_->Kill();
}

bool KVServer::killed() const { return dead_; }

}  // namespace kvraft
