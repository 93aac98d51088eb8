// Lab 4A: the shard controller's Clerk. This is your file.
//
//   shardctrler::Clerk ck(ends);            // MakeClerk: ends[i] reaches some controller server
//   ck.Join({{1, {"x", "y", "z"}}});        // add group 1, rebalance the shards
//   ck.Leave({1});                          // remove group 1, rebalance
//   ck.Move(3, 2);                          // shard 3 to group 2
//   shardctrler::Config c = ck.Query(-1);   // the latest configuration (or number n)
//
// Each call returns once the controller has executed the request, exactly once, whatever the
// network does: a Clerk tries the servers until the Raft leader executes its request, and
// keeps trying for ever. A Clerk makes one call at a time. Read docs/en/lab4-shardkv.md first.
#ifndef SHARDCTRLER_CLIENT_H_
#define SHARDCTRLER_CLIENT_H_

#include <memory>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"

namespace shardctrler {

class Clerk {
 public:
  explicit Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers);

  // Configuration `num`; the latest if num is -1 or larger than the latest number.
  Config Query(int num);
  void Join(const GroupServers& servers);
  void Leave(const std::vector<int>& gids);
  void Move(int shard, int gid);

 private:
  std::vector<std::shared_ptr<lab::ClientEnd>> servers_;
  // TODO(student, 4A): what the Clerk remembers between calls (the server it last found to
  // be the leader; an id of its own and a sequence number, for exactly-once).
};

}  // namespace shardctrler

#endif  // SHARDCTRLER_CLIENT_H_
