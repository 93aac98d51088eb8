// Lab 4B reference: the sharded key/value Clerk.
//
// It caches the controller's latest configuration, sends each request to the group that
// serves the key's shard (trying that group's servers in turn, the last leader first), and
// on ErrWrongGroup, or after trying every server of the group, asks the controller for the
// latest configuration and starts over. Requests are named (client_id, seq) as in lab 3, and
// a retry keeps its number, also when it goes to another group.
#ifndef SHARDKV_SOLUTION_CLIENT_H_
#define SHARDKV_SOLUTION_CLIENT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common.h"
#include "labrpc/labrpc.h"
#include "shardctrler/client.h"

namespace shardkv {

class Clerk {
 public:
  // `ctrlers`: ends to the shard controllers; `make_end`: an end to a server, by name.
  Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> ctrlers, MakeEnd make_end);

  std::string Get(const std::string& key);
  void Put(const std::string& key, const std::string& value);
  void Append(const std::string& key, const std::string& value);

 private:
  void PutAppend(const std::string& key, const std::string& value, const std::string& op);
  // Sends `args` to the group serving args.key until a server there executes it (err is not
  // ErrWrongLeader or ErrWrongGroup), refreshing the configuration between rounds.
  template <typename Args, typename Reply>
  Reply Call(const std::string& method, const Args& args);
  std::shared_ptr<lab::ClientEnd> End(const std::string& server);

  shardctrler::Clerk sm_;
  const MakeEnd make_end_;
  shardctrler::Config config_;
  std::map<std::string, std::shared_ptr<lab::ClientEnd>> ends_;  // by server name
  std::map<int, int> leader_;  // gid -> index of the server to try first
  const std::int64_t client_id_;
  std::int64_t seq_ = 0;  // the number of the last request sent
};

}  // namespace shardkv

#endif  // SHARDKV_SOLUTION_CLIENT_H_
