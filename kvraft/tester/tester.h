// The kvraft tester: KVServers on a fake network, clerks, and the checks the tests use.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// This is 6.824's kvraft/config.go, composed from the shared key/value harness
// (grading/kvtest: ServerGroup, History, the Append checks, the time limit). A test drives it
// like a script:
//
//   kvraft::Tester t(5, /*unreliable=*/false, /*maxraftstate=*/-1);   // make_config
//   auto ck = t.MakeClient(t.All());                 // a Clerk on shuffled ends to every server
//   t.Begin("Test: one client (3A)");                // prints the title, resets the counters
//   t.Put(*ck, "k", "v");  t.Append(*ck, "k", "w");  // counted operations
//   std::string v = t.Get(*ck, "k", &t.history(), 0);   // ... and recorded in the history
//   t.Partition({0, 1, 2}, {3, 4});  t.ConnectAll();
//   t.ShutdownServer(i);  t.StartServer(i);          // crash with persister kept; restart
//   t.End();                                         // time limit, "  ... Passed --" line
//
// Servers are named "0".."n-1"; each serves "KVServer" (the student's handlers) and "Raft" (its
// Raft) on one labrpc server, in a task group of its own ("server-0", ...: its lane on the
// timeline): a crash cancels every task of the server and waits for them before the KVServer is
// destroyed. Every RPC and every reply takes 1-5 ms of the run's time (Network::Latency), so
// operations cost time in the simulator as on a real network.
//
// Time is the run's clock (virtual in the simulator); a test may take at most 120 s of it.
// Failures end the run through lab::Fatal with the original's words and a hint.
#ifndef KVRAFT_TESTER_TESTER_H_
#define KVRAFT_TESTER_TESTER_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client.h"
#include "grading/kvtest/history.h"
#include "grading/kvtest/server_group.h"
#include "grading/kvtest/time_limit.h"
#include "labrpc/labrpc.h"

namespace kvraft {

// The election timeout the tests assume (test_test.go's electionTimeout).
inline constexpr std::chrono::milliseconds kElectionTimeout{1000};

class Tester {
 public:
  // A Clerk with the ends it uses (ends.ends[j] reaches server j; the Clerk got them shuffled).
  struct Client {
    kvtest::ClientEnds ends;
    std::unique_ptr<Clerk> clerk;
  };

  // make_config: n servers started and connected, then the network made unreliable if asked.
  // maxraftstate is passed to every KVServer (-1: never snapshot).
  Tester(int n, bool unreliable, int maxraftstate);
  ~Tester();  // kills every server and waits for their tasks
  Tester(const Tester&) = delete;
  Tester& operator=(const Tester&) = delete;

  int n() const { return group_.n(); }
  std::vector<int> All() const { return group_.All(); }
  int maxraftstate() const { return maxraftstate_; }

  // Prints "<description> ..." and resets the RPC and operation counters.
  void Begin(std::string_view description);
  // Fails if the test took longer than 120 s; else prints
  // "  ... Passed --  <seconds>  <servers> <rpcs> <ops>".
  void End();

  // --- Servers and network (main task only, except Leader) ---

  void StartServer(int i);     // on a copy of its persister, disconnected; see ConnectAll
  void ShutdownServer(int i);  // crash: tasks cancelled, persister kept
  void ConnectAll();
  void Partition(const std::vector<int>& p1, const std::vector<int>& p2);
  // config.go's make_partition: the leader (if any) last, in the minority p2.
  std::pair<std::vector<int>, std::vector<int>> MakePartition();
  std::optional<int> Leader();
  void SetUnreliable(bool unreliable);

  // --- Clerks ---

  // A Clerk whose ends are enabled for the servers in `to`.
  std::shared_ptr<Client> MakeClient(const std::vector<int>& to);
  void DeleteClient(const Client& client);
  // Enables the client's ends to the servers in `to` and disables the others.
  void ConnectClient(const Client& client, const std::vector<int>& to);

  // --- Operations: counted; recorded in `history` (as client `cli`) unless it is null ---

  std::string Get(Client& client, const std::string& key, kvtest::History* history = nullptr,
                  int cli = 0);
  void Put(Client& client, const std::string& key, const std::string& value,
           kvtest::History* history = nullptr, int cli = 0);
  void Append(Client& client, const std::string& key, const std::string& value,
              kvtest::History* history = nullptr, int cli = 0);
  // Gets `key` and fails unless it equals `value` (the original's check()).
  void Check(Client& client, const std::string& key, const std::string& value);

  // The test's history; partitions and crashes are annotated on it.
  kvtest::History& history() { return history_; }

  // --- Sizes: the largest persisted Raft state / snapshot over all servers, in bytes ---
  std::size_t LogSize() { return group_.LogSize(); }
  std::size_t SnapshotSize() { return group_.SnapshotSize(); }

  // Ends the run with `message` (t.Fatalf). Safe from any task.
  [[noreturn]] static void Fail(std::string message);

 private:
  // Annotates the partition that has been in place since partition_since_, if any.
  void ClosePartition();

  const int maxraftstate_;
  const std::shared_ptr<lab::Network> net_;
  kvtest::TimeLimit time_limit_;
  kvtest::History history_;
  kvtest::ServerGroup group_;
  std::atomic<std::int64_t> ops_{0};

  // Main task only.
  lab::TimePoint t0_{};
  std::int64_t rpcs0_ = 0;
  std::string partition_;  // description of the current partition, "" when all connected
  lab::TimePoint partition_since_{};
};

}  // namespace kvraft

#endif  // KVRAFT_TESTER_TESTER_H_
