// Lab 4B: the ShardKV server. This is your file; the contract is in server.h.
#include "server.h"

#include <utility>

#include "labrpc/unimplemented.h"

namespace shardkv {

ShardKV::ShardKV(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
                 std::shared_ptr<lab::Persister> persister, int maxraftstate, int gid,
                 std::vector<std::shared_ptr<lab::ClientEnd>> ctrlers, MakeEnd make_end)
    : me_(me),
      gid_(gid),
      maxraftstate_(maxraftstate),
      make_end_(std::move(make_end)),
      apply_ch_(std::make_shared<lab::Chan<raft::ApplyMsg>>()) {
  rf_ = std::make_unique<raft::Raft>(std::move(servers), me, std::move(persister), apply_ch_);
  // TODO(student, 4B): restore your snapshot, keep a controller Clerk on `ctrlers`, and start
  // the tasks that apply committed commands and poll the controller.
  (void)ctrlers;
}

ShardKV::~ShardKV() = default;

void ShardKV::RegisterRpcs(lab::Service& service) {
  service.Register("Get", this, &ShardKV::Get);
  service.Register("PutAppend", this, &ShardKV::PutAppend);
  // TODO(student, 4B): register your migration RPCs here.
}

void ShardKV::Kill() {
  dead_ = true;
  rf_->Kill();
  // TODO(student, 4B): anything else that should stop.
}

bool ShardKV::killed() const { return dead_; }

void ShardKV::Get(const GetArgs& args, GetReply* reply) {
  // TODO(student, 4B)
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("4B");
}

void ShardKV::PutAppend(const PutAppendArgs& args, PutAppendReply* reply) {
  // TODO(student, 4B)
  (void)args;
  (void)reply;
  LAB_UNIMPLEMENTED("4B");
}

}  // namespace shardkv
