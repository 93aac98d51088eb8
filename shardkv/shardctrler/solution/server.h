// Lab 4A reference: the ShardCtrler.
//
// Lab 3's design (kvraft/solution/server.h) on a different state: a handler builds an Op,
// hands it to Raft::Start, registers a waiter for the index Start returned and sleeps on
// cond_; the applier task reads apply_ch_, applies each committed Op to the StateMachine
// (configurations + duplicate table) in log order, and completes the waiter at that index:
// with the result if the Op there is the waiter's own request, or as lost if another Op
// committed there. A waiter also gives up, answering wrong_leader, when this server's term
// changes or it stops being the leader, or after kRequestTimeout; the Clerk then tries another
// server, and the duplicate table makes the retry safe. The controller's state is small and
// the tests give it no maxraftstate: it never snapshots.
//
// Locking: mu_ protects everything below it. Raft is called under mu_ (Start, GetState); the
// reference Raft never waits for this server while holding its own lock. No RPC is made
// under mu_.
#ifndef SHARDCTRLER_SOLUTION_SERVER_H_
#define SHARDCTRLER_SOLUTION_SERVER_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"
#include "op.h"
#include "raft.h"
#include "state_machine.h"

namespace shardctrler {

class ShardCtrler {
 public:
  ShardCtrler(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
              std::shared_ptr<lab::Persister> persister);
  ~ShardCtrler();
  ShardCtrler(const ShardCtrler&) = delete;
  ShardCtrler& operator=(const ShardCtrler&) = delete;

  void RegisterRpcs(lab::Service& service);
  raft::Raft& raft() { return *rf_; }

  void Kill();
  bool killed() const;

  void Join(const JoinArgs& args, JoinReply* reply);
  void Leave(const LeaveArgs& args, LeaveReply* reply);
  void Move(const MoveArgs& args, MoveReply* reply);
  void Query(const QueryArgs& args, QueryReply* reply);

 private:
  // How long a handler waits for its Op to be applied before it lets the Clerk try elsewhere.
  static constexpr std::chrono::milliseconds kRequestTimeout{500};

  // A handler waiting for the Op it started at some index.
  struct Waiter {
    Op op;
    bool done = false;
    bool applied = false;  // done, and the Op at the index was this one
    StateMachine::Result result;
  };

  // Starts `op` and waits for it (see the file comment). Returns false if the Clerk should
  // try another server; otherwise *result is what the Op returned.
  bool Submit(const Op& op, StateMachine::Result* result);

  // The applier task.
  void Applier();

  const int me_;
  const std::shared_ptr<lab::Chan<raft::ApplyMsg>> apply_ch_;
  std::unique_ptr<raft::Raft> rf_;
  std::atomic<bool> dead_{false};

  lab::Mutex mu_;
  lab::CondVar cond_;  // signalled whenever waiters_ entries complete
  StateMachine state_;
  // Invariant: every Op at an index <= last_applied_ is reflected in state_, and none after.
  int last_applied_ = 0;
  // index -> the handler waiting for it (at most one; a newer registration completes the
  // older one as lost, since only one Op can commit at an index).
  std::map<int, std::shared_ptr<Waiter>> waiters_;
};

}  // namespace shardctrler

#endif  // SHARDCTRLER_SOLUTION_SERVER_H_
