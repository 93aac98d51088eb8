// Lab 2: Raft. Your implementation goes here (and in raft.h).
//
// Outline of what to write, part by part (docs/en/lab2-raft.md has the details):
//   2A  leader election and heartbeats: Figure 2's RequestVote, AppendEntries without
//       entries, the election ticker, GetState.
//   2B  the log: Start, AppendEntries with entries, the commit rules, an applier task that
//       sends committed entries on apply_ch_.
//   2C  persistence: Persist and ReadPersist, called wherever persistent state changes.
//   2D  log compaction: Snapshot, InstallSnapshot, and log indices that no longer start at 1.
//
// Every function that still says LAB_UNIMPLEMENTED fails the test that reaches it with
// "not implemented: Raft::<name> (<part>)". Replace it with your code.
#include "raft.h"

#include <chrono>
#include <mutex>
#include <utility>

#include "unimplemented.h"

namespace raft {

using namespace std::chrono_literals;

Raft::Raft(std::vector<std::shared_ptr<lab::ClientEnd>> peers, int me,
           std::shared_ptr<lab::Persister> persister, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch)
    : peers_(std::move(peers)),
      me_(me),
      persister_(std::move(persister)),
      apply_ch_(std::move(apply_ch)) {
  // TODO(student, 2A): initialize the state of Figure 2 (declared in raft.h).
  // TODO(student, 2B): start a task that sends newly committed entries on apply_ch_, in
  // order. Let it wait on a lab::CondVar rather than poll, and release mu_ around each send:
  // the service may call Snapshot() (which takes mu_) before it receives the next message.

  // Initialize from the state persisted before a crash.
  ReadPersist(persister_->ReadRaftState());

  // Start the ticker task, which starts elections.
  lab::go("ticker", [this] { Ticker(); });
}

// The tester destroys a Raft only after every task it started has ended.
Raft::~Raft() = default;

RaftState Raft::GetState() {
  // TODO(student, 2A): return current_term_ and whether this server believes it is the
  // leader, both read under mu_.
  LAB_UNIMPLEMENTED("2A");
}

// Saves Raft's persistent state (Figure 2) to stable storage, where it can be read back after
// a crash and restart. Call it from 2A on wherever persistent state changes (and before
// replying to an RPC that depends on the change): the stub does nothing in the 2A and 2B
// tests, and fails the 2C and 2D tests with "not implemented: Raft::Persist (2C)".
void Raft::Persist() {
  // TODO(student, 2C): encode the persistent state and save it. Example:
  //   lab::Encoder encoder;
  //   encoder.Put(xxx_).Put(yyy_);
  //   persister_->Save(encoder.Finish(), /*snapshot=*/{});   // in 2D: the current snapshot
  LAB_UNIMPLEMENTED_FROM("2C");
}

// Restores previously persisted state. The stub fails as soon as there is saved state to
// restore (once Persist saves something).
void Raft::ReadPersist(const lab::Bytes& data) {
  if (data.empty()) return;  // first boot: nothing saved yet
  // TODO(student, 2C): decode what Persist saved, in the same order. Example:
  //   lab::Decoder decoder(data);
  //   xxx_ = decoder.Get<int>();
  //   yyy_ = decoder.Get<std::vector<LogEntry>>();
  // Decoder throws lab::CodecError if the bytes do not hold those types.
  LAB_UNIMPLEMENTED("2C");
}

// The service says it has created a snapshot that has all info up to and including index.
// This means the service no longer needs the log through (and including) that index. Raft
// should now trim its log as much as possible.
void Raft::Snapshot(int index, lab::Bytes snapshot) {
  (void)index;
  (void)snapshot;
  // TODO(student, 2D): discard the entries up to index, keep what the next AppendEntries
  // consistency check needs (the term at index), and persist the state with the snapshot.
  LAB_UNIMPLEMENTED("2D");
}

// RequestVote RPC handler.
void Raft::RequestVote(const RequestVoteArgs& args, RequestVoteReply* reply) {
  (void)args;
  (void)reply;
  // TODO(student, 2A): Figure 2, RequestVote RPC, "Receiver implementation".
  LAB_UNIMPLEMENTED("2A");
}

// Example code to send a RequestVote RPC to a server. `server` is the index of the target in
// peers_; fill in args, and Call fills in *reply.
//
// Call returns true if the handler ran and its reply arrived, false otherwise: the request or
// the reply was lost, the server is dead or unreachable. Thus Call may not return for a
// while (up to 7 seconds in the Raft tests). A false return can be caused by a dead server, a
// live server that can't be reached, a lost request, or a lost reply; you cannot tell which.
//
// Call is guaranteed to return (perhaps after a delay) *except* if the handler on the other
// side does not return. Thus there is no need to implement your own timeouts around Call.
//
// Look at the comments in labrpc/network.h for more details. If you're having trouble
// getting RPC to work, check that every field is listed in the struct's NLOHMANN macro.
//
// Call it from its own task (lab::go), never while holding mu_:
//   lab::go("request-vote", [this, server, args] {
//     RequestVoteReply reply;
//     if (SendRequestVote(server, args, &reply)) { std::lock_guard lock(mu_); ... }
//   });
bool Raft::SendRequestVote(int server, const RequestVoteArgs& args, RequestVoteReply* reply) {
  return peers_[server]->Call("Raft.RequestVote", args, reply);
}

// The service using Raft (e.g. a k/v server) wants to start agreement on the next command to
// be appended to Raft's log. If this server isn't the leader, returns is_leader = false.
// Otherwise start the agreement and return immediately. There is no guarantee that this
// command will ever be committed to the Raft log, since the leader may fail or lose an
// election. Even if the Raft instance has been killed, this function should return
// gracefully. The first return value is the index that the command will appear at if it's
// ever committed; the second is the current term.
StartResult Raft::Start(nlohmann::json command) {
  (void)command;
  // TODO(student, 2B): append to the log if leader, and get it replicated.
  LAB_UNIMPLEMENTED("2B");
}

// The tester calls Kill when a Raft instance won't be needed again. The runtime cancels the
// server's tasks as well, so you are not required to do anything in Kill; the flag is there
// for loops that want to stop early (while (!killed()) ...).
void Raft::Kill() {
  dead_ = true;
  // TODO(student, 2A): optional: wake tasks that wait on condition variables.
}

bool Raft::killed() const { return dead_; }

void Raft::RegisterRpcs(lab::Service& service) {
  service.Register("RequestVote", this, &Raft::RequestVote);
  // TODO(student, 2A): register AppendEntries the same way.
  // TODO(student, 2D): register InstallSnapshot.
}

// The ticker task starts a new election if this peer hasn't received heartbeats recently.
void Raft::Ticker() {
  while (!killed()) {
    // TODO(student, 2A): check if a leader election should be started.

    // Pause for a random amount of time between 50 and 350 milliseconds.
    lab::sleep_for(lab::rand_duration(50ms, 350ms));
  }
}

}  // namespace raft
