// The shard controller tester: ShardCtrler servers on a fake network, and their clerks.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// This is 6.824's shardctrler/config.go, composed from the shared key/value harness
// (grading/kvtest: ServerGroup, the time limit). A test drives it like a script:
//
//   shardctrler::Tester t(3, /*unreliable=*/false);   // make_config
//   auto ck = t.MakeClient(t.All());                  // a Clerk on shuffled ends to every server
//   t.Begin("Test: Basic leave/join");                // prints "Test: Basic leave/join ..."
//   ck->clerk->Join({{1, {"x", "y", "z"}}});
//   t.ShutdownServer(i);  t.StartServer(i);  t.ConnectAll();   // crash and restart
//   t.End();                                          // time limit, "  ... Passed"
//
// Servers are named "0".."n-1"; each serves "ShardCtrler" (the student's handlers) and "Raft" (its
// Raft) on one labrpc server, in a task group of its own ("server-0", ...: its lane on the
// timeline): a crash cancels every task of the server and waits for them before the ShardCtrler is
// destroyed. Every RPC and every reply takes 1-5 ms of the run's time (Network::Latency), as in the
// kvraft tester.
//
// Time is the run's clock (virtual in the simulator); a test may take at most 120 s of it.
// Failures end the run through lab::Fatal.
//
// The controller's headers are included as "shardctrler/client.h" (forwarding headers that
// shardkv/shardctrler/CMakeLists.txt generates), never by bare name: bin/shardkv_tests holds
// 4A's tests beside lab 4B's, whose own files are also named client.h and server.h.
#ifndef SHARDCTRLER_TESTER_TESTER_H_
#define SHARDCTRLER_TESTER_TESTER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "grading/kvtest/server_group.h"
#include "grading/kvtest/time_limit.h"
#include "labrpc/labrpc.h"
#include "shardctrler/client.h"

namespace shardctrler {

class Tester {
 public:
  // A Clerk with the ends it uses (ends.ends[j] reaches server j; the Clerk got them shuffled).
  struct Client {
    kvtest::ClientEnds ends;
    std::unique_ptr<Clerk> clerk;
  };

  // make_config: n servers started and connected, then the network made unreliable if asked.
  Tester(int n, bool unreliable);
  ~Tester();  // kills every server and waits for their tasks
  Tester(const Tester&) = delete;
  Tester& operator=(const Tester&) = delete;

  int n() const { return group_.n(); }
  std::vector<int> All() const { return group_.All(); }

  // Prints "<description> ...".
  void Begin(std::string_view description);
  // Fails if the test took longer than 120 s; else prints "  ... Passed".
  void End();

  // --- Servers and network (main task only, except Leader) ---

  void StartServer(int i);     // on a copy of its persister, disconnected; see ConnectAll
  void ShutdownServer(int i);  // crash: tasks cancelled, persister kept
  void ConnectAll();
  void Partition(const std::vector<int>& p1, const std::vector<int>& p2);
  // config.go's make_partition: the leader (if any) last, in the minority p2.
  std::pair<std::vector<int>, std::vector<int>> MakePartition();
  // The first running server whose Raft claims leadership, if any.
  std::optional<int> Leader();
  void SetUnreliable(bool unreliable);

  // --- Clerks ---

  // A Clerk whose ends are enabled for the servers in `to`.
  std::shared_ptr<Client> MakeClient(const std::vector<int>& to);
  void DeleteClient(const Client& client);
  // Enables the client's ends to the servers in `to` and disables the others.
  void ConnectClient(const Client& client, const std::vector<int>& to);

  // Ends the run with `message` (t.Fatalf). Safe from any task.
  [[noreturn]] static void Fail(std::string message);

 private:
  const std::shared_ptr<lab::Network> net_;
  kvtest::TimeLimit time_limit_;
  kvtest::ServerGroup group_;
};

}  // namespace shardctrler

#endif  // SHARDCTRLER_TESTER_TESTER_H_
