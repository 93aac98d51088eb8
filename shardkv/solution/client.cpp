// Lab 4B reference: the Clerk. The contract is in client.h.
#include "client.h"

#include <chrono>
#include <utility>

namespace shardkv {

Clerk::Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> ctrlers, MakeEnd make_end)
    : sm_(std::move(ctrlers)),
      make_end_(std::move(make_end)),
      // 63 random bits from the run's generator: unique in practice, and a seed replays it.
      client_id_(static_cast<std::int64_t>(lab::rand() >> 1)) {}

std::shared_ptr<lab::ClientEnd> Clerk::End(const std::string& server) {
  auto [it, added] = ends_.try_emplace(server);
  if (added) it->second = make_end_(server);
  return it->second;
}

template <typename Args, typename Reply>
Reply Clerk::Call(const std::string& method, const Args& args) {
  const int shard = Key2Shard(args.key);
  for (;;) {
    const int gid = config_.shards[shard];
    if (auto group = config_.groups.find(gid); group != config_.groups.end()) {
      const std::vector<std::string>& servers = group->second;
      const int n = static_cast<int>(servers.size());
      int& leader = leader_[gid];
      for (int tried = 0; tried < n; ++tried) {
        Reply reply;
        const bool ok = End(servers[leader % n])->Call("ShardKV." + method, args, &reply);
        if (ok && (reply.err == kOK || reply.err == kErrNoKey)) return reply;
        if (ok && reply.err == kErrWrongGroup) break;
        leader = (leader + 1) % n;
      }
    }
    lab::sleep_for(std::chrono::milliseconds(100));
    config_ = sm_.Query(-1);
  }
}

std::string Clerk::Get(const std::string& key) {
  GetArgs args{key, client_id_, ++seq_};
  return Call<GetArgs, GetReply>("Get", args).value;
}

void Clerk::PutAppend(const std::string& key, const std::string& value, const std::string& op) {
  PutAppendArgs args{key, value, op, client_id_, ++seq_};
  Call<PutAppendArgs, PutAppendReply>("PutAppend", args);
}

void Clerk::Put(const std::string& key, const std::string& value) { PutAppend(key, value, "Put"); }

void Clerk::Append(const std::string& key, const std::string& value) {
  PutAppend(key, value, "Append");
}

}  // namespace shardkv
