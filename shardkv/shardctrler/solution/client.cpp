// Lab 4A reference: the Clerk. The contract is in client.h.
#include "client.h"

#include <chrono>
#include <utility>

namespace shardctrler {

Clerk::Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers)
    : servers_(std::move(servers)),
      // 63 random bits from the run's generator: unique in practice, and a seed replays it.
      client_id_(static_cast<std::int64_t>(lab::rand() >> 1)) {}

template <typename Args, typename Reply>
Reply Clerk::Call(const std::string& method, Args args) {
  args.client_id = client_id_;
  args.seq = ++seq_;
  const int n = static_cast<int>(servers_.size());
  for (int tried = 1;; ++tried) {
    Reply reply;
    if (servers_[leader_]->Call("ShardCtrler." + method, args, &reply) && !reply.wrong_leader) {
      return reply;
    }
    leader_ = (leader_ + 1) % n;
    // After a full round nobody could answer: an election is probably under way.
    if (tried % n == 0) lab::sleep_for(std::chrono::milliseconds(20));
  }
}

Config Clerk::Query(int num) {
  QueryArgs args;
  args.num = num;
  return Call<QueryArgs, QueryReply>("Query", std::move(args)).config;
}

void Clerk::Join(const GroupServers& servers) {
  JoinArgs args;
  args.servers = servers;
  Call<JoinArgs, JoinReply>("Join", std::move(args));
}

void Clerk::Leave(const std::vector<int>& gids) {
  LeaveArgs args;
  args.gids = gids;
  Call<LeaveArgs, LeaveReply>("Leave", std::move(args));
}

void Clerk::Move(int shard, int gid) {
  MoveArgs args;
  args.shard = shard;
  args.gid = gid;
  Call<MoveArgs, MoveReply>("Move", std::move(args));
}

}  // namespace shardctrler
