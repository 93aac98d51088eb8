// Lab 4A: the ShardCtrler, one replica of the shard controller. This is your file (with
// server.cpp). Read docs/en/lab4-shardkv.md first.
//
//   auto sc = std::make_unique<ShardCtrler>(peers, me, persister);   // StartServer
//   sc->RegisterRpcs(service);        // "ShardCtrler.Join", ".Leave", ".Move", ".Query"
//   sc->raft().RegisterRpcs(raft_service);   // the tester serves your Raft's RPCs too
//   sc->Kill();                       // the tester is done with this instance
//
// It is lab 3's service with configurations instead of a key/value map: a handler hands a
// command to Raft and answers once it comes back committed on the apply channel, where one
// task applies every command, in order, to the list of configurations.
//
// The rules the tests check:
//   - configs_[0] exists from the start: number 0, no groups, every shard on gid 0.
//   - Join, Leave and Move each add a configuration numbered one higher than the latest.
//     Join and Leave then divide the shards among the groups as evenly as possible (the
//     largest count at most one above the smallest) while moving as few shards as possible:
//     after a Join, no group that was already there gains a shard; after a Leave, no group
//     that stays loses one. Move puts one shard where it is told (a later Join or Leave may
//     move it again).
//   - Every replica must compute the same configuration: rebalancing must be deterministic.
//     Never let the order of an unordered container decide anything; break ties by gid.
//   - A new configuration gets its own copy of the groups (the previous configurations must
//     not change).
//   - Query(-1) sees every Join, Leave and Move that completed before it was sent: put
//     Queries through the log too.
//   - Exactly once, as in lab 3 (the shardkv lab's tests need it on an unreliable network).
//
// Runtime: as in lab 3 (lab::Mutex, lab::CondVar, lab::Chan, lab::go).
#ifndef SHARDCTRLER_SERVER_H_
#define SHARDCTRLER_SERVER_H_

#include <atomic>
#include <memory>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"
#include "raft.h"

namespace shardctrler {

class ShardCtrler {
 public:
  // StartServer(): servers[i] reaches server i's "Raft" service (servers[me] is this server);
  // persister holds this server's saved state. Must return quickly: start long-running work
  // (the task that reads the apply channel) with lab::go.
  ShardCtrler(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
              std::shared_ptr<lab::Persister> persister);
  ~ShardCtrler();
  ShardCtrler(const ShardCtrler&) = delete;
  ShardCtrler& operator=(const ShardCtrler&) = delete;

  // Registers Join, Leave, Move and Query on the server's "ShardCtrler" service.
  void RegisterRpcs(lab::Service& service);
  // This server's Raft: the tester registers its RPCs and asks it GetState().
  raft::Raft& raft() { return *rf_; }

  // The tester calls Kill when it is done with this instance. Kill the Raft too.
  void Kill();
  bool killed() const;

  // RPC handlers.
  void Join(const JoinArgs& args, JoinReply* reply);
  void Leave(const LeaveArgs& args, LeaveReply* reply);
  void Move(const MoveArgs& args, MoveReply* reply);
  void Query(const QueryArgs& args, QueryReply* reply);

 private:
  lab::Mutex mu_;
  const int me_;
  std::shared_ptr<lab::Chan<raft::ApplyMsg>> apply_ch_;
  std::unique_ptr<raft::Raft> rf_;
  std::atomic<bool> dead_{false};  // set by Kill()

  std::vector<Config> configs_;  // indexed by config num; protected by mu_
  // TODO(student, 4A): the duplicate table, and whatever the handlers need to learn that their
  // command was applied (protected by mu_; say so next to each).
};

}  // namespace shardctrler

#endif  // SHARDCTRLER_SERVER_H_
