// Lab 4B reference: a ShardKV server, one replica of one replica group.
//
// Requests (Get, PutAppend, and DeleteShards from other groups) follow lab 3's path: the
// handler starts a Command in Raft, waits for the applier to apply it at the index Raft gave
// (Submit), and answers with what the state machine said. Whether the group serves a key is
// decided when the command is applied, in log order, not when the request arrives.
//
// Three background tasks drive reconfiguration, acting only on the leader (migration.cpp):
//   - the config poller (every kPollInterval): starts a kNoop once in each term it leads (see
//     command.h); when no shard is in transit, asks the controller
//     for configuration num + 1 and starts it as a kConfig command;
//   - the puller: for every shard in kPulling, asks its previous owner for the data
//     (PullShards) and starts a kInsert command with the reply;
//   - the cleaner: for every shard in kConfirming, tells its previous owner to delete its copy
//     (DeleteShards, which that group puts through its own log), then starts kConfirm.
// One request per previous owner at a time, each in its own task, so a group that is down
// delays only the shards it holds.
//
// Snapshots include the whole state machine: configurations, shard states and data, and the
// duplicate table. A restarted server restores the latest snapshot before Raft starts.
//
// Locking: mu_ protects everything below it. Raft is called under mu_ (Start, GetState,
// Snapshot), as in lab 3; no RPC is made under mu_.
#ifndef SHARDKV_SOLUTION_SERVER_H_
#define SHARDKV_SOLUTION_SERVER_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "command.h"
#include "common.h"
#include "labrpc/labrpc.h"
#include "raft.h"
#include "shardctrler/client.h"
#include "state_machine.h"

namespace shardkv {

class ShardKV {
 public:
  // Server `me` of group `gid`: `servers` are the ends to its group's servers, `ctrlers` to
  // the shard controllers; make_end reaches any server by name. maxraftstate: snapshot when
  // the persisted Raft state nears it (-1: never).
  ShardKV(std::vector<std::shared_ptr<lab::ClientEnd>> servers, int me,
          std::shared_ptr<lab::Persister> persister, int maxraftstate, int gid,
          std::vector<std::shared_ptr<lab::ClientEnd>> ctrlers, MakeEnd make_end);
  ~ShardKV();
  ShardKV(const ShardKV&) = delete;
  ShardKV& operator=(const ShardKV&) = delete;

  void RegisterRpcs(lab::Service& service);
  raft::Raft& raft() { return *rf_; }

  void Kill();
  bool killed() const;

  void Get(const GetArgs& args, GetReply* reply);
  void PutAppend(const PutAppendArgs& args, PutAppendReply* reply);
  void PullShards(const PullShardsArgs& args, PullShardsReply* reply);
  void DeleteShards(const DeleteShardsArgs& args, DeleteShardsReply* reply);

 private:
  static constexpr std::chrono::milliseconds kRequestTimeout{500};
  static constexpr std::chrono::milliseconds kPollInterval{100};
  static constexpr std::chrono::milliseconds kMigrateInterval{50};
  static constexpr double kSnapshotFraction = 0.9;
  static constexpr std::size_t kApplyBuffer = 64;  // committed entries Raft may queue ahead

  struct Waiter {
    Command command;
    bool done = false;
    bool applied = false;  // done, and the command at the index was this one
    StateMachine::Result result;
  };

  // Starts `command` and waits for it. Returns false if the caller should try another server.
  bool Submit(const Command& command, StateMachine::Result* result);
  bool IsLeader();  // REQUIRES: mu_ held

  // The applier (apply.cpp). REQUIRES for the steps: mu_ held.
  void Applier();
  void ApplyCommand(const raft::ApplyMsg& m);
  void ApplySnapshot(const raft::ApplyMsg& m);
  void MaybeSnapshot(int index);

  // Reconfiguration (migration.cpp).
  void ConfigPoller();
  void Migrator();
  void Pull(int gid, int config_num, std::vector<int> shards, std::vector<std::string> servers);
  void Clean(int gid, int config_num, std::vector<int> shards, std::vector<std::string> servers);
  std::shared_ptr<lab::ClientEnd> End(const std::string& server);  // REQUIRES: mu_ held

  const int me_;
  const int gid_;
  const std::shared_ptr<lab::Persister> persister_;
  const int maxraftstate_;
  const MakeEnd make_end_;
  const std::shared_ptr<lab::Chan<raft::ApplyMsg>> apply_ch_;
  std::unique_ptr<raft::Raft> rf_;
  shardctrler::Clerk ctrler_;  // used by the config poller only
  std::atomic<bool> dead_{false};

  lab::Mutex mu_;
  lab::CondVar cond_;  // signalled whenever waiters_ entries complete
  StateMachine state_;
  int last_applied_ = 0;
  std::map<int, std::shared_ptr<Waiter>> waiters_;  // index -> the handler waiting for it
  std::map<std::string, std::shared_ptr<lab::ClientEnd>> ends_;  // by server name
  std::set<int> pulling_from_;                                   // gids with a PullShards in flight
  std::set<int> cleaning_at_;  // gids with a DeleteShards in flight
  int noop_term_ = 0;          // the last term in which this server started a kNoop
};

}  // namespace shardkv

#endif  // SHARDKV_SOLUTION_SERVER_H_
