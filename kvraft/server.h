// Lab 3: the KVServer, one replica of the fault-tolerant key/value service. This is your file
// (with server.cpp). Read docs/en/lab3-kvraft.md first.
//
//   auto kv = std::make_unique<KVServer>(peers, me, persister, maxraftstate);  // StartKVServer
//   kv->RegisterRpcs(kv_service);        // "KVServer.Get", "KVServer.PutAppend"
//   kv->raft().RegisterRpcs(raft_service);   // the tester serves your Raft's RPCs too
//   kv->Kill();                          // the tester is done with this instance
//
// How it works: a handler turns a request into a command, hands it to Raft (Start), and
// answers only once that command comes back committed on the apply channel, where one task
// applies every committed command, in order, to the key/value state. Every replica applies the
// same commands in the same order, so they all hold the same state.
//
// The rules the tests check:
//   - Linearizable: a Get sees every operation that completed before it started. A server
//     that only believes it is the leader (it may be cut off in a minority) must not answer
//     from its own state: put Gets through the log too.
//   - Exactly once: a Clerk retries when it hears nothing back, and the first try may have
//     been executed; every request must be executed once. The table that detects duplicates
//     is part of the replicated state (and of snapshots).
//   - Never wait for ever: when Raft loses leadership, the command at the index Start returned
//     may never commit, or another one may commit there. Notice it and answer ErrWrongLeader.
//   - 3B: when persister_->RaftStateSize() nears maxraftstate, snapshot the state (the map and
//     the duplicate table) and hand it to Raft::Snapshot; restore it from
//     persister_->ReadSnapshot() at start and from snapshots Raft sends on the apply channel.
//
// Runtime: as in lab 2 (lab::Mutex, lab::CondVar, lab::Chan, lab::go). When the tester crashes
// this server it cancels every task the server started, then destroys the object.
#ifndef KVRAFT_SERVER_H_
#define KVRAFT_SERVER_H_

#include <atomic>
#include <memory>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"
#include "raft.h"

namespace kvraft {

class KVServer {
 public:
  // StartKVServer(): servers[i] reaches server i's "Raft" service (servers[me] is this
  // server); persister holds this server's saved state; snapshot when the persisted Raft state
  // nears maxraftstate bytes, never if it is -1. Must return quickly: start long-running work
  // (the task that reads the apply channel) with lab::go.
  KVServer(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
           std::shared_ptr<lab::Persister> persister, int maxraftstate);
  ~KVServer();
  KVServer(const KVServer&) = delete;
  KVServer& operator=(const KVServer&) = delete;

  // Registers Get and PutAppend on the server's "KVServer" service.
  void RegisterRpcs(lab::Service& service);
  // This server's Raft: the tester registers its RPCs and asks it GetState().
  raft::Raft& raft() { return *rf_; }

  // The tester calls Kill when it is done with this instance. Kill the Raft too.
  void Kill();
  bool killed() const;

  // RPC handlers.
  void Get(const GetArgs& args, GetReply* reply);
  void PutAppend(const PutAppendArgs& args, PutAppendReply* reply);

 private:
  lab::Mutex mu_;
  const int me_;
  std::shared_ptr<lab::Persister> persister_;
  const int maxraftstate_;  // snapshot when the Raft state grows this large (-1: never)
  std::shared_ptr<lab::Chan<raft::ApplyMsg>> apply_ch_;
  std::unique_ptr<raft::Raft> rf_;
  std::atomic<bool> dead_{false};  // set by Kill()

  // TODO(student, 3A): the key/value state, the duplicate table, and whatever the handlers
  // need to learn that their command was applied (protected by mu_; say so next to each).
};

}  // namespace kvraft

#endif  // KVRAFT_SERVER_H_
