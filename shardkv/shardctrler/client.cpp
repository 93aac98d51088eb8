// Lab 4A: the shard controller's Clerk. Your implementation goes here (and in client.h).
#include "client.h"

#include <utility>

#include "labrpc/unimplemented.h"

namespace shardctrler {

Clerk::Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers) : servers_(std::move(servers)) {
  // TODO(student, 4A): your initialization. lab::rand() gives a 64-bit number from the run's
  // seeded generator, a fine client id.
}

// Each method sends its RPC ("ShardCtrler.Query", "ShardCtrler.Join", "ShardCtrler.Leave",
// "ShardCtrler.Move") as in lab 3:
//   QueryArgs args{...};
//   QueryReply reply;
//   bool ok = servers_[i]->Call("ShardCtrler.Query", args, &reply);
// and keeps trying the servers until one answers ok with wrong_leader false, pausing briefly
// (lab::sleep_for) after each round of all servers.

Config Clerk::Query(int num) {
  // TODO(student, 4A)
  (void)num;
  LAB_UNIMPLEMENTED("4A");
}

void Clerk::Join(const GroupServers& servers) {
  // TODO(student, 4A)
  (void)servers;
  LAB_UNIMPLEMENTED("4A");
}

void Clerk::Leave(const std::vector<int>& gids) {
  // TODO(student, 4A)
  (void)gids;
  LAB_UNIMPLEMENTED("4A");
}

void Clerk::Move(int shard, int gid) {
  // TODO(student, 4A)
  (void)shard;
  (void)gid;
  LAB_UNIMPLEMENTED("4A");
}

}  // namespace shardctrler
