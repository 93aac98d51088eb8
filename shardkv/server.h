// Lab 4B: the ShardKV server, one replica of one replica group. This is your file (with
// server.cpp). Read docs/en/lab4-shardkv.md first.
//
//   auto kv = std::make_unique<ShardKV>(peers, me, persister, maxraftstate, gid, ctrlers,
//                                       make_end);          // StartServer
//   kv->RegisterRpcs(service);        // "ShardKV.Get", ".PutAppend", and your own RPCs
//   kv->raft().RegisterRpcs(raft_service);
//   kv->Kill();
//
// What the tests check:
//   - A group serves exactly the shards the current configuration gives it, and only once it
//     holds their data: ErrWrongGroup for any other key (the Clerk then asks the controller).
//   - Poll the controller about every 100 ms and take configurations one at a time, in order,
//     each through your Raft log so that every replica changes at the same point.
//   - Shards move between groups with their data and the duplicate table: a request is
//     executed exactly once even when its shard moves while it is retried.
//   - Snapshots (maxraftstate, as in lab 3) include the configuration and each shard's state.
//   - Challenge 1: a group deletes a shard it has handed off once the new owner has it.
//   - Challenge 2: a group serves the shards it has while others are still migrating.
//   - Never call the controller's Join, Leave or Move.
#ifndef SHARDKV_SERVER_H_
#define SHARDKV_SERVER_H_

#include <atomic>
#include <memory>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"
#include "raft.h"
#include "shardctrler/client.h"

namespace shardkv {

class ShardKV {
 public:
  // StartServer(): server `me` of group `gid`; servers[i] reaches server i of the group,
  // ctrlers the shard controllers, make_end(name) any server by name. Snapshot when the
  // persisted Raft state nears maxraftstate bytes (-1: never). Must return quickly.
  ShardKV(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
          std::shared_ptr<lab::Persister> persister, int maxraftstate, int gid,
          std::vector<std::shared_ptr<lab::ClientEnd>> ctrlers, MakeEnd make_end);
  ~ShardKV();
  ShardKV(const ShardKV&) = delete;
  ShardKV& operator=(const ShardKV&) = delete;

  // Registers Get and PutAppend (and your migration RPCs) on the "ShardKV" service.
  void RegisterRpcs(lab::Service& service);
  raft::Raft& raft() { return *rf_; }

  // The tester calls Kill when it is done with this instance. Kill the Raft too.
  void Kill();
  bool killed() const;

  void Get(const GetArgs& args, GetReply* reply);
  void PutAppend(const PutAppendArgs& args, PutAppendReply* reply);

 private:
  lab::Mutex mu_;
  const int me_;
  const int gid_;
  const int maxraftstate_;
  const MakeEnd make_end_;
  std::shared_ptr<lab::Chan<raft::ApplyMsg>> apply_ch_;
  std::unique_ptr<raft::Raft> rf_;
  std::atomic<bool> dead_{false};  // set by Kill()
  // TODO(student, 4B): the controller's Clerk, the current configuration, each shard's state
  // and data, the duplicate table, and what handlers need to learn that their command was
  // applied (protected by mu_; say so next to each).
};

}  // namespace shardkv

#endif  // SHARDKV_SERVER_H_
