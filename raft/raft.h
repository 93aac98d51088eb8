// Lab 2: Raft. This is your file (with raft.cpp): read it, then fill in the TODO(student)s.
//
// The public API below is what the tester calls; keep its signatures. Add your own state and
// helpers freely. Read first: the Raft paper's Figure 2 (extended version), and
// docs/en/lab2-raft.md (docs/zh/lab2-raft.md in Chinese).
//
//   auto rf = std::make_unique<Raft>(peers, me, persister, apply_ch);  // Make(); returns fast
//   auto [index, term, is_leader] = rf->Start(command);   // propose a command; returns at once
//   auto [term, is_leader] = rf->GetState();              // current term, am I the leader?
//   rf->Snapshot(index, bytes);  // the service snapshotted everything up to index (2D)
//   rf->Kill();                  // the tester is done with this instance
//
// Each time a new entry is committed, send an ApplyMsg with command_valid = true on apply_ch,
// in log order, exactly once per index. In 2D, also send snapshots (snapshot_valid = true).
//
// Runtime: write ordinary blocking code with lab::go, lab::Mutex, lab::CondVar, lab::Chan,
// lab::sleep_for and peers_[i]->Call(...) (see labrpc/labrpc.h). When the tester crashes this
// server it cancels every task the server started (each throws lab::Cancelled at its next
// blocking point; do not swallow it) before destroying the Raft object.
//
// Three rules that save hours:
//   - Never hold mu_ while waiting for the network (peers_[i]->Call) or sending on apply_ch:
//     give each RPC its own task (lab::go), and release mu_ around apply_ch->send.
//   - The tester delays failed RPCs to unreachable servers by up to 7 seconds: a leader that
//     calls its peers one after another stops sending heartbeats.
//   - Hold mu_ from the moment you read state to decide something until you have acted on it.
#ifndef RAFT_RAFT_H_
#define RAFT_RAFT_H_

#include <atomic>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "labrpc/labrpc.h"

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

// Example RequestVote RPC arguments and reply. Field names are yours to choose; list every
// field in the NLOHMANN macro or it will not cross the network (the receiver sees its default
// value, silently).
struct RequestVoteArgs {
  // TODO(student, 2A): the fields of Figure 2's RequestVote arguments.
  int term = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestVoteArgs, term)

struct RequestVoteReply {
  // TODO(student, 2A): the fields of Figure 2's RequestVote results.
  int term = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestVoteReply, term)

// TODO(student, 2A): AppendEntriesArgs and AppendEntriesReply (Figure 2), in the same form;
// heartbeats are AppendEntries with no entries. A log entry is a struct too (a term and a
// nlohmann::json command), with its own macro, so a std::vector of them can be sent.
// TODO(student, 2D): InstallSnapshotArgs and InstallSnapshotReply (Figure 13).

class Raft {
 public:
  // Make(): peers[i] reaches server i (peers[me] is this server); persister holds this
  // server's saved state (empty on first boot); apply_ch receives committed entries.
  // Must return quickly: start long-running work (the election ticker) with lab::go.
  Raft(std::vector<std::shared_ptr<lab::ClientEnd>> peers, int me,
       std::shared_ptr<lab::Persister> persister, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch);
  ~Raft();
  Raft(const Raft&) = delete;
  Raft& operator=(const Raft&) = delete;

  // The current term and whether this server believes it is the leader.
  RaftState GetState();

  // Proposes `command` for the log. Returns at once, without waiting for agreement (the
  // entry may never commit if this server loses leadership). If this server is not the
  // leader, returns is_leader = false.
  StartResult Start(nlohmann::json command);

  // The service has a snapshot holding every entry up to and including `index`: Raft may
  // drop those entries from its log (2D).
  void Snapshot(int index, lab::Bytes snapshot);

  // The tester calls Kill when it is done with this instance (Go's rf.Kill()). The runtime
  // also cancels the server's tasks, but checking killed() in long loops is good practice.
  void Kill();
  bool killed() const;

  // Registers the RPC handlers on the server's "Raft" service. The tester calls it once.
  void RegisterRpcs(lab::Service& service);

  // RPC handlers.
  void RequestVote(const RequestVoteArgs& args, RequestVoteReply* reply);
  // TODO(student, 2A): void AppendEntries(const AppendEntriesArgs&, AppendEntriesReply*);
  // TODO(student, 2D): void InstallSnapshot(const InstallSnapshotArgs&, InstallSnapshotReply*);

 private:
  void Ticker();
  bool SendRequestVote(int server, const RequestVoteArgs& args, RequestVoteReply* reply);
  void Persist();
  void ReadPersist(const lab::Bytes& data);

  // Constant after construction.
  std::vector<std::shared_ptr<lab::ClientEnd>> peers_;
  const int me_;
  std::shared_ptr<lab::Persister> persister_;
  std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch_;

  std::atomic<bool> dead_{false};  // set by Kill()

  lab::Mutex mu_;
  // TODO(student, 2A): the state of Figure 2 (current_term_, voted_for_, log_, ...),
  // protected by mu_. Write next to each field what protects it and what must hold, e.g.
  //   // Invariant: last_applied_ <= commit_index_ <= last log index.
  // TODO(student, 2D): the snapshot's last included index and term. Once the log's start
  // moves, a log index and a position in log_ differ: convert in exactly one helper.
};

}  // namespace raft

#endif  // RAFT_RAFT_H_
