// Lab 3 reference: the KVServer.
//
// Request path: a handler builds an Op, hands it to Raft::Start, registers a waiter for the
// index Start returned, and sleeps on cond_. The applier task (apply.cpp) reads apply_ch_,
// applies each committed Op to the StateMachine in log order, and completes the waiter at
// that index: with the result if the Op there is the waiter's own request, or with "lost" if
// another Op committed there (a new leader overwrote this server's entry). A waiter also gives
// up, answering ErrWrongLeader, when this server's term changes or it stops being the leader,
// or after kRequestTimeout (a leader cut off in a minority never commits anything); the
// Clerk then tries another server, and the duplicate table makes the retry safe.
//
// Snapshots (3B): after applying an entry, when the persisted Raft state has reached
// kSnapshotFraction of maxraftstate, the applier hands Raft a snapshot of the StateMachine.
// A restarted server restores the latest snapshot before it starts; snapshots that Raft sends
// on apply_ch_ (from InstallSnapshot) replace the state when they are newer.
//
// Locking: mu_ protects everything below it. Raft is called under mu_ (Start, GetState,
// Snapshot); that is safe because the reference Raft never waits for this server while
// holding its own lock (it sends on apply_ch_ without it). No RPC is made under mu_.
#ifndef KVRAFT_SOLUTION_SERVER_H_
#define KVRAFT_SOLUTION_SERVER_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"
#include "op.h"
#include "raft.h"
#include "state_machine.h"

namespace kvraft {

class KVServer {
 public:
  KVServer(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
           std::shared_ptr<lab::Persister> persister, int maxraftstate);
  ~KVServer();
  KVServer(const KVServer&) = delete;
  KVServer& operator=(const KVServer&) = delete;

  void RegisterRpcs(lab::Service& service);
  raft::Raft& raft() { return *rf_; }

  void Kill();
  bool killed() const;

  void Get(const GetArgs& args, GetReply* reply);
  void PutAppend(const PutAppendArgs& args, PutAppendReply* reply);

 private:
  // How long a handler waits for its Op to be applied before it lets the Clerk try elsewhere.
  static constexpr std::chrono::milliseconds kRequestTimeout{500};
  // Snapshot once the Raft state reaches this fraction of maxraftstate.
  static constexpr double kSnapshotFraction = 0.9;

  // A handler waiting for the Op it started at some index.
  struct Waiter {
    Op op;
    bool done = false;
    bool applied = false;  // done, and the Op at the index was this one
    std::string value;     // what a Get reads
  };

  // Starts `op` and waits for it (see the file comment). Returns false if the Clerk should
  // try another server; otherwise *value is what the Op read.
  bool Submit(const Op& op, std::string* value);

  // The applier task and its steps (apply.cpp). REQUIRES for the steps: mu_ held.
  void Applier();
  void ApplyCommand(const raft::ApplyMsg& m);
  void ApplySnapshot(const raft::ApplyMsg& m);
  void MaybeSnapshot(int index);

  const int me_;
  const std::shared_ptr<lab::Persister> persister_;
  const int maxraftstate_;
  const std::shared_ptr<lab::Chan<raft::ApplyMsg>> apply_ch_;
  std::unique_ptr<raft::Raft> rf_;
  std::atomic<bool> dead_{false};

  lab::Mutex mu_;
  lab::CondVar cond_;  // signalled whenever waiters_ entries complete
  StateMachine state_;
  // Invariant: every Op at an index <= last_applied_ is reflected in state_, and none after.
  int last_applied_ = 0;
  // index -> the handler waiting for it (at most one: a newer registration completes the
  // older one as lost, since only one Op can commit at an index).
  std::map<int, std::shared_ptr<Waiter>> waiters_;
};

}  // namespace kvraft

#endif  // KVRAFT_SOLUTION_SERVER_H_
