// Lab 2: Raft, the reference solution. Same public API as the student's raft/raft.h.
//
//   auto rf = std::make_unique<Raft>(peers, me, persister, apply_ch);  // returns at once
//   auto [index, term, is_leader] = rf->Start(command);
//   auto [term, is_leader] = rf->GetState();
//   rf->Snapshot(index, bytes);
//   rf->Kill();
//
// The implementation is split by concern, one file each:
//   raft.cpp         construction and the public API
//   log.cpp          the log after compaction: index arithmetic, cached encoding (class Log)
//   election.cpp     election timer, RequestVote (both sides), role transitions (§5.2)
//   replication.cpp  per-follower replicators, AppendEntries (both sides), commit (§5.3, §5.4)
//   snapshot.cpp     Snapshot() and InstallSnapshot (both sides) (§7, Figure 13)
//   persistence.cpp  what is saved and restored, and when (Figure 2, "Persistent state")
//   apply.cpp        the applier task: committed entries and snapshots to apply_ch, in order
//   rules.cpp        the decisions themselves, as pure functions (unit-tested)
//
// Concurrency: one mutex (mu_) protects all Raft state. Every RPC is sent from its own task,
// so no task ever holds mu_ while waiting for the network, and a slow or unreachable peer
// (the tester delays failures up to 7 s) never holds up the others. Nothing holds mu_ while
// sending on apply_ch: the service may call Snapshot() (which takes mu_) before it receives
// the next message.
#ifndef RAFT_SOLUTION_RAFT_H_
#define RAFT_SOLUTION_RAFT_H_

#include <atomic>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "labrpc/labrpc.h"
#include "log.h"
#include "messages.h"

namespace raft {

// What Raft tells its service (the tester, or kvraft in lab 3) through apply_ch.
struct ApplyMsg {
  bool command_valid = false;
  nlohmann::json command;  // as passed to Start
  int command_index = 0;   // the log index of command (the first entry has index 1)

  // For 2D:
  bool snapshot_valid = false;
  lab::Bytes snapshot;
  int snapshot_term = 0;
  int snapshot_index = 0;
};

struct StartResult {
  int index = -1;  // where the command will appear if it is ever committed
  int term = -1;   // the current term
  bool is_leader = false;
};

struct RaftState {
  int term = 0;
  bool is_leader = false;
};

class Raft {
 public:
  // Make(): peers[i] reaches server i (peers[me] is this server); persister holds this
  // server's saved state (empty on first boot); apply_ch receives committed entries.
  Raft(std::vector<std::shared_ptr<lab::ClientEnd>> peers, int me,
       std::shared_ptr<lab::Persister> persister, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch);
  ~Raft();
  Raft(const Raft&) = delete;
  Raft& operator=(const Raft&) = delete;

  // The current term and whether this server believes it is the leader.
  RaftState GetState();

  // Appends `command` to the log if this server is the leader and returns at once.
  StartResult Start(nlohmann::json command);

  // The service has a snapshot holding every entry up to and including `index`.
  void Snapshot(int index, lab::Bytes snapshot);

  void Kill();
  bool killed() const;

  // Registers RequestVote, AppendEntries and InstallSnapshot on the "Raft" service.
  void RegisterRpcs(lab::Service& service);

  // RPC handlers.
  void RequestVote(const RequestVoteArgs& args, RequestVoteReply* reply);
  void AppendEntries(const AppendEntriesArgs& args, AppendEntriesReply* reply);
  void InstallSnapshot(const InstallSnapshotArgs& args, InstallSnapshotReply* reply);

 private:
  enum class Role { kFollower, kCandidate, kLeader };

  // Elections (election.cpp).
  void Ticker();
  void StartElection();  // REQUIRES: mu_ held
  void RequestVoteFrom(int peer, const RequestVoteArgs& args, std::shared_ptr<int> votes);
  void BecomeFollower(int term);  // REQUIRES: mu_ held; persists if the term changed
  void BecomeLeader();            // REQUIRES: mu_ held
  void ResetElectionTimer();      // REQUIRES: mu_ held

  // Replication (replication.cpp).
  void Replicator(int peer, int term);
  // REQUIRES (these five): mu_ held.
  bool HasEntriesFor(int peer) const;  // the follower lacks entries we have
  void SendEntries(int peer);          // AppendEntries with entries, or InstallSnapshot
  void SendHeartbeat(int peer);        // AppendEntries without entries
  AppendEntriesArgs MakeAppendEntries(int prev_log_index) const;
  void AllowNextBatch(int peer);  // the outstanding entries were answered
  void SendAppendEntries(int peer, const AppendEntriesArgs& args);
  void HandleAppendEntriesReply(int peer, const AppendEntriesArgs& args,
                                const AppendEntriesReply& reply);  // REQUIRES: mu_ held
  bool MergeEntries(const AppendEntriesArgs& args);  // REQUIRES: mu_ held; true if log changed
  void RejectAppendEntries(int prev_log_index, AppendEntriesReply* reply);  // REQUIRES: mu_
  int LastIndexOfTerm(int term) const;  // REQUIRES: mu_ held; -1 if none
  void AdvanceCommitIndex();            // REQUIRES: mu_ held; leader only

  // Snapshots (snapshot.cpp).
  void SendInstallSnapshot(int peer, const InstallSnapshotArgs& args);
  void HandleInstallSnapshotReply(int peer, const InstallSnapshotArgs& args,
                                  const InstallSnapshotReply& reply);  // REQUIRES: mu_ held

  // Persistence (persistence.cpp).
  void Persist();  // REQUIRES: mu_ held
  void ReadPersist(const lab::Bytes& data);

  // Applying (apply.cpp).
  void Applier();

  // Constant after construction.
  const std::vector<std::shared_ptr<lab::ClientEnd>> peers_;
  const int me_;
  const std::shared_ptr<lab::Persister> persister_;
  const std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch_;

  std::atomic<bool> dead_{false};  // set by Kill()

  // Everything below is protected by mu_.
  lab::Mutex mu_;
  // Signalled when the applier may have work: commit_index_ grew, a snapshot arrived, Kill.
  lab::CondVar apply_cv_;
  // Signalled when a replicator may have work: new entries, a rejected AppendEntries, a role
  // or term change, Kill.
  lab::CondVar replicate_cv_;

  // Persistent state on all servers (Figure 2), saved by Persist() before replying to an RPC
  // or returning from Start.
  int current_term_ = 0;
  int voted_for_ = -1;  // candidate voted for in current_term_, or -1
  // Invariant: log_.snapshot_index() <= commit_index_ (only committed entries are
  // snapshotted).
  Log log_;
  lab::Bytes snapshot_;  // the service's latest snapshot, up to log_.snapshot_index()
  // Whether snapshot_ changed since the last Persist (which then saves it too; otherwise it
  // saves the Raft state alone and the persister keeps the snapshot without a copy).
  bool snapshot_unsaved_ = false;

  // Volatile state on all servers (Figure 2).
  // Invariant: last_applied_ <= commit_index_ <= log_.LastIndex().
  int commit_index_ = 0;
  int last_applied_ = 0;  // highest index handed to the applier for delivery
  // True when the applier must deliver snapshot_ before any further entry (set when an
  // InstallSnapshot replaced the log).
  bool snapshot_pending_ = false;

  Role role_ = Role::kFollower;
  lab::TimePoint election_deadline_{};

  // Volatile state on leaders (Figure 2), reinitialized by BecomeLeader.
  // Invariant (per peer): match_index_[p] < next_index_[p] <= log_.LastIndex() + 1.
  std::vector<int> next_index_;
  std::vector<int> match_index_;  // match_index_[me_] is the leader's own log_.LastIndex()
  // When the replicator may send the next message carrying entries to each peer: the
  // retransmit deadline of the outstanding one, or the past if none is outstanding.
  std::vector<lab::TimePoint> retransmit_at_;
};

}  // namespace raft

#endif  // RAFT_SOLUTION_RAFT_H_
