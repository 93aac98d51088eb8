// The shardkv tester: shard controllers and three replica groups of ShardKV servers on a fake
// network, clerks, and the checks the tests use.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// This is 6.824's shardkv/config.go, composed from the shared key/value harness
// (grading/kvtest: ServerGroup, History, the time limit). A test drives it like a script:
//
//   shardkv::Tester t(3, /*unreliable=*/false, /*maxraftstate=*/-1);   // make_config
//   t.Begin("Test: static shards ...");   // prints the title as the original does
//   t.Join(0);  t.Join(1);                // the controller adds groups 100 and 101
//   auto ck = t.MakeClient();             // a Clerk on the controllers and make_end
//   t.Put(*ck, "k", "v");  t.Check(*ck, "k", "v");
//   t.ShutdownGroup(1);  t.StartGroup(1); // crash a whole group, restart it
//   t.End();                              // time limit, "  ... Passed"
//
// The controller is 3 ShardCtrler servers "ctrler0".."ctrler2" (never restarted). Groups
// 0, 1, 2 have gids 100, 101, 102 and n servers each, named "server-<gid>-<i>"; each serves
// "ShardKV" and "Raft", and gets ends to its group's servers, to every controller, and a
// make_end that builds a fresh end to any server by name. Every RPC and every reply takes
// 1-5 ms of the run's time (Network::Latency), as in the kvraft tester.
//
// Time is the run's clock (virtual in the simulator); a test may take at most 120 s of it.
// Failures end the run through lab::Fatal.
#ifndef SHARDKV_TESTER_TESTER_H_
#define SHARDKV_TESTER_TESTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client.h"
#include "grading/kvtest/history.h"
#include "grading/kvtest/server_group.h"
#include "grading/kvtest/time_limit.h"
#include "labrpc/labrpc.h"
#include "shardctrler/client.h"

namespace shardkv {

// The number of replica groups and the gid of group 0 (config.go's ngroups, 100 + gi).
inline constexpr int kNGroups = 3;
inline constexpr int kFirstGid = 100;

class Tester {
 public:
  // A Clerk with the controller ends it uses.
  struct Client {
    kvtest::ClientEnds ctrler_ends;
    std::unique_ptr<Clerk> clerk;
  };

  // make_config: the controllers and n servers per group, started and connected, then the
  // network made unreliable if asked. maxraftstate goes to every ShardKV (-1: never
  // snapshot).
  Tester(int n, bool unreliable, int maxraftstate);
  ~Tester();  // kills every server and waits for their tasks
  Tester(const Tester&) = delete;
  Tester& operator=(const Tester&) = delete;

  int n() const { return n_; }
  int maxraftstate() const { return maxraftstate_; }
  static int Gid(int gi) { return kFirstGid + gi; }

  // Prints the test's title (the original's, which ends in "..." or " ...").
  void Begin(std::string_view description);
  // Fails if the test took longer than 120 s; else prints "  ... Passed".
  void End();

  // --- Servers (main task only) ---

  void ShutdownServer(int gi, int i);  // crash: tasks cancelled, persister kept
  void StartServer(int gi, int i);     // on a copy of its persister, connected to its group
  void ShutdownGroup(int gi);
  void StartGroup(int gi);
  void SetUnreliable(bool unreliable);

  // --- The controller (config.go's join, joinm, leave, leavem; mck.Query) ---

  void Join(int gi);
  void Joinm(const std::vector<int>& gis);
  void Leave(int gi);
  void Leavem(const std::vector<int>& gis);
  shardctrler::Config Query(int num);

  // --- Clerks ---

  std::shared_ptr<Client> MakeClient();
  void DeleteClient(const Client& client);

  // --- Operations; recorded in `history` (as client `cli`) unless it is null ---

  std::string Get(Client& client, const std::string& key, kvtest::History* history = nullptr,
                  int cli = 0);
  void Put(Client& client, const std::string& key, const std::string& value,
           kvtest::History* history = nullptr, int cli = 0);
  void Append(Client& client, const std::string& key, const std::string& value,
              kvtest::History* history = nullptr, int cli = 0);
  // Gets `key` and fails unless it equals `value` (test_test.go's check()).
  void Check(Client& client, const std::string& key, const std::string& value);

  kvtest::History& history() { return history_; }

  // --- Sizes ---

  // config.go's checklogs: with maxraftstate >= 0 no server's Raft state may exceed 8 times
  // it; with -1 no server may have a snapshot.
  void CheckLogs();
  // The sum over every server of every group of its Raft state and snapshot, in bytes
  // (TestChallenge1Delete).
  std::size_t TotalStorage();

  // Ends the run with `message` (t.Fatalf). Safe from any task.
  [[noreturn]] static void Fail(std::string message);

 private:
  std::shared_ptr<lab::ClientEnd> MakeEnd(const std::string& server);
  std::vector<std::shared_ptr<lab::ClientEnd>> ControllerEnds();

  const int n_;
  const int maxraftstate_;
  const std::shared_ptr<lab::Network> net_;
  // A stuck lab 4B run is most often a reconfiguration that never ends.
  static constexpr const char* kTimeLimitHint =
      "a group that never finishes a reconfiguration waits for shard data that nobody will "
      "send: take configurations one at a time (Query(num + 1), never jump ahead with "
      "Query(-1)) and keep asking the previous owner until the shard arrives; a handler "
      "waiting for an operation that will never commit must answer ErrWrongLeader";
  kvtest::TimeLimit time_limit_{kvtest::kTestTimeLimit, kTimeLimitHint};
  kvtest::History history_;
  kvtest::ServerGroup ctrlers_;
  std::vector<std::unique_ptr<kvtest::ServerGroup>> groups_;
  kvtest::ClientEnds mck_ends_;
  std::unique_ptr<shardctrler::Clerk> mck_;
};

}  // namespace shardkv

#endif  // SHARDKV_TESTER_TESTER_H_
