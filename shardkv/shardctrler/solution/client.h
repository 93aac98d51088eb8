// Lab 4A reference: the shard controller's Clerk.
//
// As lab 3's: it remembers which server last acted as the leader and tries it first; it names
// each request (client_id, seq) so that the servers execute it once however often it is sent;
// and it keeps trying, in turn, every server until one executes the request.
#ifndef SHARDCTRLER_SOLUTION_CLIENT_H_
#define SHARDCTRLER_SOLUTION_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"

namespace shardctrler {

class Clerk {
 public:
  explicit Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers);

  Config Query(int num);
  void Join(const GroupServers& servers);
  void Leave(const std::vector<int>& gids);
  void Move(int shard, int gid);

 private:
  // Sends `args` (its client_id and seq filled in here) to "ShardCtrler.<method>" until a
  // server that is the leader executes it, and returns that server's reply.
  template <typename Args, typename Reply>
  Reply Call(const std::string& method, Args args);

  std::vector<std::shared_ptr<lab::ClientEnd>> servers_;
  const std::int64_t client_id_;
  std::int64_t seq_ = 0;  // the number of the last request sent
  int leader_ = 0;        // the server to try first
};

}  // namespace shardctrler

#endif  // SHARDCTRLER_SOLUTION_CLIENT_H_
