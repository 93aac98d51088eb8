// The Raft tester: a cluster of Rafts on a fake network, and the checks the tests use.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// This is 6.824's raft/config.go in C++. A test builds one Tester and drives it like a script:
//
//   raft::Tester t(3, /*unreliable=*/false, /*snapshot=*/false);  // make_config
//   t.Begin("Test (2B): basic agreement");         // prints the title, starts the statistics
//   int leader = t.CheckOneLeader();               // exactly one leader among connected peers
//   int index = t.One(100, 3, /*retry=*/false);    // 100 is committed on all 3 servers
//   t.Disconnect(leader);  t.Connect(leader);      // network only
//   t.Crash1(i);  t.Start1(i);                     // crash: tasks cancelled, persister kept
//   auto [idx, term, ok] = t.Start(leader, cmd);   // calls Raft::Start on server i
//   t.End();                                       // checks the time limit, prints "Passed"
//
// What the tester watches. Every server's apply channel is read by an applier task that
// records what was committed at each index (logs_) and fails the run at once, with
// "apply error: ...", if two servers commit different commands at one index or a server
// applies out of order. With snapshots on, the applier also asks Raft for a snapshot at every
// index that is 9 mod 10, holding the index and every command up to it (the bytes are opaque
// to Raft), and ingests the snapshots Raft delivers.
//
// Servers and crashes. Server i runs in its own task group, named "server-i": Raft's
// constructor, every task it starts with lab::go, its RPC handlers and the tester's applier
// for it all belong to that group. Crash1(i) disconnects the server, removes it from the
// network, cancels the group and waits until none of its tasks remains, and only then drops
// the Raft object. Start1(i) builds a new instance from what the old one last saved. Calls the
// tester makes into a Raft (Start, GetState, Kill) also run with the server's group as the
// spawn group, so a task that Start launches belongs to the server and dies with it.
//
// Failures: every check ends the run through lab::Fatal with the original tester's message;
// the test harness reports it with the seed and the replay command. Background tasks that
// use the tester (clients in the churn tests, for example) may call every method except
// Crash1, Start1, Begin and End; they must belong to a lab::TaskScope declared after the
// Tester, so they are gone before it is destroyed.
//
// Persistence (2C on). A test's title names its part ("Test (2C): ..."). From 2C on, End()
// and every restart (Start1) also fail if entries were committed but fewer than n/2 servers
// ever saved state
// (Persister::RaftStateSize() or SnapshotSize() > 0): a committed entry was acknowledged by
// a majority, and Figure 2 has each follower save currentTerm, votedFor and log[] before it
// answers, so at least a majority less the leader saved it; a crashed server's persister is
// kept. Every correct Raft passes this check; a Raft that saves nothing fails every 2C test.
// The part also tells the stubs (raft/unimplemented.h) whether Persist must say it is not
// implemented yet.
//
// Debug log: with LAB_DEBUG=tester (or 1) the tester logs what it does (Begin, Start,
// connect, disconnect, crash, start, link and network changes, End) under the topic "tester",
// in line with Raft's own LAB_DEBUG lines.
//
// Time is the run's clock (virtual in the simulator). A test may take at most 120 s of it,
// counted from the Tester's construction: a test still running then fails at once with
// "test took longer than 120 seconds", wherever it is (even blocked inside Raft).
#ifndef RAFT_TESTER_TESTER_H_
#define RAFT_TESTER_TESTER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "labrpc/labrpc.h"
#include "raft.h"

namespace raft {

// The election timeout the tests assume (test_test.go's RaftElectionTimeout). Raft must elect
// a new leader well within 5 s of a failure; the tests sleep in multiples of this.
inline constexpr std::chrono::milliseconds kElectionTimeout{1000};
// The applier snapshots after every index i with (i + 1) % kSnapshotInterval == 0.
inline constexpr int kSnapshotInterval = 10;
// The largest persisted Raft state (bytes) the 2D tests accept (test_test.go's MAXLOGSIZE).
inline constexpr std::size_t kMaxLogSize = 2000;
// The longest a test may take, in the run's clock (config.go's checkTimeout).
inline constexpr std::chrono::seconds kTestTimeLimit{120};

// n characters drawn from the URL-safe base64 alphabet, from the run's random generator (the
// tester's randstring: end names, and the 5000-character commands of TestRPCBytes2B).
std::string RandString(int n);
// A uniform non-negative 63-bit integer (Go's rand.Int()), from the run's random generator.
std::int64_t RandInt();

class Tester {
 public:
  // make_config: n servers, each started and connected. `unreliable` drops and delays RPCs;
  // long delays for unreachable servers are always on (a leader that calls its peers one at a
  // time falls behind). `snapshot` selects the applier that snapshots every 10 entries (2D).
  // REQUIRES: inside a run (a LAB_TEST body); 1 <= n.
  Tester(int n, bool unreliable, bool snapshot);
  // cleanup(): kills every Raft, cancels their tasks and waits for them, shuts the network.
  ~Tester();
  Tester(const Tester&) = delete;
  Tester& operator=(const Tester&) = delete;

  int n() const { return n_; }

  // Prints "<description> ..." and starts counting time, RPCs, bytes and committed entries.
  // The description's "(2X)" names the test's part (see Persistence above).
  void Begin(std::string_view description);
  // Fails if the test took longer than kTestTimeLimit, or (2C on) if too few servers saved
  // state (see Persistence above); otherwise prints
  // "  ... Passed --  <seconds>  <peers> <rpcs> <bytes> <commands>".
  void End();

  // --- Cluster control (main task only) ---

  // Crashes server i (a no-op for the Raft if it is already down): disconnects it, deletes
  // it from the network, kills and destroys its Raft after its tasks are gone. Its persister
  // is replaced by a copy, so nothing of the dead instance can change what the next one reads.
  void Crash1(int i);
  // Crashes server i, then starts a fresh instance from the last saved state (from 2C on,
  // after the persistence check, see Persistence above): new end names
  // (the old instance's ends can never deliver again), a copy of the persister, its snapshot
  // ingested as a restarting service would, a new unbuffered apply channel and applier. The
  // server stays disconnected until Connect(i).
  void Start1(int i);
  // Enables the ends between server i and every connected server (i itself included).
  void Connect(int i);
  // Disables every end from and to server i.
  void Disconnect(int i);
  // Enables or disables the ends between servers i and j, both ways: with `enabled` false,
  // i and j cannot reach each other while each still reaches the others (a partial
  // partition). Connect() of either server enables the link again.
  void SetLink(int i, int j, bool enabled);
  void SetUnreliable(bool unreliable);
  void SetLongReordering(bool long_reordering);

  bool Connected(int i);
  // Whether server i has a running Raft (false between Crash1 and Start1).
  bool Alive(int i);

  // --- Calls into server i's current Raft ---

  // Raft::Start on server i. A crashed server answers {-1, -1, false}.
  StartResult Start(int i, const nlohmann::json& command);
  // Raft::GetState on server i. REQUIRES: Alive(i).
  RaftState GetState(int i);

  // --- Checks ---

  // Polls up to 10 times, 450-549 ms apart, until some connected server claims leadership;
  // returns the leader of the highest such term. Fails if a term has two leaders, or if no
  // leader appears.
  int CheckOneLeader();
  // Returns the term every connected server reports; fails if they disagree.
  int CheckTerms();
  // Fails if a connected server claims to be the leader.
  void CheckNoLeader();
  // How many servers have committed `index`, and the command they committed (null if none).
  // Fails if two servers committed different commands there.
  std::pair<int, nlohmann::json> NCommitted(int index);
  // Waits (up to 30 polls, backing off from 10 ms to 1.28 s) until at least n servers have
  // committed `index`, and returns the command. Returns nullopt if start_term > -1 and some
  // server moved past start_term (agreement can no longer be expected). Fails if fewer than n
  // servers commit.
  std::optional<nlohmann::json> Wait(int index, int n, int start_term);
  // Submits `command` to whichever connected server accepts it as leader, then waits up to
  // 2 s for at least expected_servers servers to commit it at the returned index; with
  // `retry`, submits again when that fails. Returns the index. Fails after 10 s, or after the
  // first 2 s without agreement when !retry.
  int One(const nlohmann::json& command, int expected_servers, bool retry);

  // --- Statistics ---

  // RPCs whose handler started on server i (the network's GetCount).
  int RpcCount(int i);
  // Every RPC sent so far, delivered or not.
  std::int64_t RpcTotal();
  // Encoded bytes of every request sent and every reply delivered so far.
  std::int64_t BytesTotal();
  // The largest persisted Raft state over all servers, in bytes.
  std::size_t LogSize();

  // Ends the run with `message` (t.Fatalf). Safe from any task.
  [[noreturn]] void Fail(std::string message);

 private:
  enum class ApplierKind { kPlain, kSnapshot };

  // One running Raft instance of a server, and the group its tasks belong to.
  struct Instance {
    std::shared_ptr<lab::Group> group;
    std::shared_ptr<Raft> raft;
  };

  static std::string ServerName(int i) { return std::to_string(i); }
  // The destructor's work: stops the watchdog and every server (Kill, then cancel their
  // groups and wait until no task remains), then shuts the network. Never throws.
  void Cleanup();
  // The current instance of server i (null when crashed).
  std::shared_ptr<Instance> InstanceOf(int i);
  void CheckTimeout();
  // End()'s persistence check (see Persistence in the file comment).
  void CheckStateSaved();

  // Applier tasks (run in server i's group).
  void Applier(int i, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch);
  void ApplierSnap(int i, Raft* raft, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch);
  // Records the command of m for server i. Returns an error message ("" if none) and whether
  // server i had already committed index - 1. REQUIRES: mu_ held.
  std::pair<std::string, bool> CheckLogs(int i, const ApplyMsg& m);
  // Replaces what server i has committed with the snapshot's contents. `index` is the index
  // Raft announced with it, or -1 for a snapshot read from the persister. Returns an error
  // message or "". REQUIRES: mu_ held.
  std::string IngestSnap(int i, const lab::Bytes& snapshot, int index);
  // The snapshot bytes the applier hands Raft at `index`. REQUIRES: mu_ held.
  lab::Bytes MakeSnapshot(int i, int index);

  // Constant after construction.
  const int n_;
  const ApplierKind applier_kind_;
  const std::shared_ptr<lab::Network> net_;
  const lab::TimePoint start_;
  // Holds one task that fails the run when the test passes kTestTimeLimit.
  std::shared_ptr<lab::Group> watchdog_;

  // A plain mutex, never held across a blocking point (no lab call that may block, no call
  // into a Raft): so taking it never throws lab::Cancelled, and the destructor can always
  // run. Calling into a Raft under it could also deadlock: Raft may hold its own lock while it
  // waits for the applier, which takes mu_.
  std::mutex mu_;
  // State below is protected by mu_.
  std::vector<std::shared_ptr<Instance>> instances_;
  std::vector<bool> connected_;
  std::vector<std::shared_ptr<lab::Persister>> saved_;  // what the next instance will read
  // end_names_[i][j]: the end server i uses to reach server j (empty before i first starts).
  std::vector<std::vector<std::string>> end_names_;
  // logs_[i]: index -> command committed at server i, as the applier saw it. Survives
  // restarts (only a snapshot replaces it), so out-of-order applies are caught across them.
  std::vector<std::map<int, nlohmann::json>> logs_;
  // last_applied_[i]: the last index server i's snapshot applier saw (0 after a restart).
  std::vector<int> last_applied_;
  int max_index_ = 0;
  bool finished_ = false;  // set by the destructor; stops One() in stray tasks

  // Begin()'s baseline (main task only).
  char part_ = 0;  // 'A' to 'D' from the title, 0 if it names none
  lab::TimePoint t0_{};
  std::int64_t rpcs0_ = 0;
  std::int64_t bytes0_ = 0;
  int max_index0_ = 0;
};

}  // namespace raft

#endif  // RAFT_TESTER_TESTER_H_
