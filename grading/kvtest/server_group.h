// A replicated service's servers on the fake network, and the clerk ends that reach them: the
// part that 6.824's kvraft, shardctrler and shardkv config.go files each repeat. A lab's tester
// owns one ServerGroup per replica group and supplies the one thing that differs, how to start
// a server (the Node factory).
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   kvtest::ServerGroup group(net, 5, "", factory);   // servers "0".."4", none started yet
//   group.StartServer(i);  group.ConnectAll();          // StartServer + connect, as config.go
//   group.Partition({0, 1, 2}, {3, 4});                 // each side connected internally only
//   group.ShutdownServer(i);                            // crash: tasks gone, persister kept
//   ClientEnds ends = group.MakeClientEnds(to);         // one fresh end per server
//
// Servers and crashes. Server i runs in its own task group, GroupName(i) (kvraft: "server-0"): its
// constructor, every task it starts with lab::go and its RPC handlers belong to that group, and it
// is that server's lane on the run's timeline and its column in `./lab logs`. ShutdownServer(i)
// disconnects it, deletes it from the network, replaces its persister by a copy (so the dying
// instance can no longer change what the next one reads), kills it, cancels its group and waits
// until none of its tasks remains, and only then destroys it. StartServer(i) builds a new instance
// on a copy of what the old one saved, with fresh end names, so nothing the old instance held can
// ever deliver again.
//
// The timeline (labrpc/record.h). Every crash and restart of a server, each partition and the
// healing of one are noted on the run's record, so that every key/value tester shows them the
// same way; nothing is built when no timeline is recorded.
//
// Threading: a plain mutex protects the tables and is never held across a blocking point.
// Every method may be called from the test's main task and from its client tasks, except
// StartServer and ShutdownServer (main task only).
#ifndef GRADING_KVTEST_SERVER_GROUP_H_
#define GRADING_KVTEST_SERVER_GROUP_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "labrpc/labrpc.h"

namespace kvtest {

// One running server instance, as the lab's tester built it.
class Node {
 public:
  virtual ~Node() = default;
  // The service's Kill (which also kills its Raft).
  virtual void Kill() = 0;
  // Whether this server's Raft believes it is the leader (rf.GetState()).
  virtual bool IsLeader() = 0;
};

// What a new instance of server `me` gets: ends to every server of its group (peers[me] is
// itself), and its persister (empty on first boot).
struct NodeContext {
  std::vector<std::shared_ptr<lab::ClientEnd>> peers;
  int me = 0;
  std::shared_ptr<lab::Persister> persister;
};

// Builds a server instance and registers its services (e.g. "KVServer" and "Raft") on
// `server`. Runs inside the instance's task group.
using NodeFactory = std::function<std::unique_ptr<Node>(const NodeContext&, lab::Server& server)>;

// The ends a clerk uses: ends[j] reaches server j of the group. Made disabled.
struct ClientEnds {
  std::vector<std::string> names;
  std::vector<std::shared_ptr<lab::ClientEnd>> ends;

  // The ends in a random order from the run's generator (config.go's random_handles), as a
  // new Clerk gets them: it cannot assume that server 0 is the first leader.
  std::vector<std::shared_ptr<lab::ClientEnd>> Shuffled() const;
};

// n characters from the URL-safe base64 alphabet, drawn from the run's generator (the
// original's randstring, used for end names).
std::string RandString(int n);

class ServerGroup {
 public:
  // n servers named `prefix` + i (kvraft: "0".."n-1"); none started.
  ServerGroup(std::shared_ptr<lab::Network> net, int n, std::string prefix, NodeFactory factory);
  // Cleanup().
  ~ServerGroup();
  ServerGroup(const ServerGroup&) = delete;
  ServerGroup& operator=(const ServerGroup&) = delete;

  int n() const { return n_; }
  // Server i's name on the network (kvraft: "0"; shardkv: "server-100-0").
  std::string ServerName(int i) const { return prefix_ + std::to_string(i); }
  // Server i's task group: its lane on the timeline and its column in `./lab logs`. Its
  // ServerName, except that a bare number (no prefix: kvraft, the shard controller) becomes
  // "server-<i>", as the Raft tester names its servers.
  std::string GroupName(int i) const {
    return prefix_.empty() ? "server-" + std::to_string(i) : ServerName(i);
  }

  // Kills every server, cancels their tasks and waits for them. Never throws. Idempotent.
  void Cleanup();

  // --- Servers (main task only) ---

  // Starts server i (shutting down a running instance first) on a copy of its persister. Its
  // outgoing ends to the group start disabled: call Connect or ConnectAll.
  void StartServer(int i);
  // Crashes server i; a no-op if it is down.
  void ShutdownServer(int i);
  void StartAll();
  void ShutdownAll();
  bool Alive(int i);

  // --- Network ---

  // Enables the ends between server i and each server in `to`, both ways.
  void Connect(int i, const std::vector<int>& to);
  // Disables the ends between server i and each server in `from`, both ways.
  void Disconnect(int i, const std::vector<int>& from);
  void ConnectAll();
  // Each side connected internally and cut from the other; servers in neither are cut off.
  void Partition(const std::vector<int>& p1, const std::vector<int>& p2);
  std::vector<int> All() const;

  // The first server whose Raft claims leadership, if any.
  std::optional<int> Leader();
  // A partition with the current leader (if any) in the minority: p1 holds n/2 + 1 servers
  // that are not the leader, p2 the other n/2, the leader last (config.go's make_partition).
  std::pair<std::vector<int>, std::vector<int>> MakePartition();

  // --- Clerk ends ---

  // One fresh end per server, enabled for the servers in `to` only.
  ClientEnds MakeClientEnds(const std::vector<int>& to);
  // Enables ends[j] for j in `to` and disables the others.
  void ConnectClientEnds(const ClientEnds& ends, const std::vector<int>& to);
  void DeleteClientEnds(const ClientEnds& ends);

  // --- Sizes ---

  // The largest persisted Raft state and snapshot over all servers, in bytes.
  std::size_t LogSize();
  std::size_t SnapshotSize();
  // Server i's persisted Raft state and snapshot, in bytes (0 before it first starts).
  std::size_t LogSize(int i);
  std::size_t SnapshotSize(int i);

 private:
  struct Instance {
    std::shared_ptr<lab::Group> group;
    std::unique_ptr<Node> node;
  };

  void SetLinks(int i, const std::vector<int>& others, bool enabled);  // REQUIRES: mu_ held

  const std::shared_ptr<lab::Network> net_;
  const int n_;
  const std::string prefix_;
  const NodeFactory factory_;

  std::mutex mu_;  // never held across a blocking point
  std::vector<std::shared_ptr<Instance>> instances_;
  std::vector<std::shared_ptr<lab::Persister>> saved_;
  // end_names_[i][j]: the end server i uses to reach server j (empty before i first starts).
  std::vector<std::vector<std::string>> end_names_;
  // Whether the last Partition has not been healed by ConnectAll since (for the timeline).
  bool partitioned_ = false;
};

}  // namespace kvtest

#endif  // GRADING_KVTEST_SERVER_GROUP_H_
