// Lab 4B: the sharded key/value Clerk. This is your file (with client.cpp). Read
// docs/en/lab4-shardkv.md first.
//
//   shardkv::Clerk ck(ctrler_ends, make_end);   // MakeClerk
//   ck.Put("k", "v");  ck.Append("k", "w");  std::string v = ck.Get("k");
//
// A key belongs to shard Key2Shard(key); the controller's configuration says which group
// serves that shard and names its servers (make_end(name) gives an end to one). Send the
// request to that group's servers; on ErrWrongGroup, or when none answers, wait 100 ms, ask
// the controller for the latest configuration (Query(-1)) and try again. Each call returns
// once the request has been executed exactly once, whatever the network and the groups do.
#ifndef SHARDKV_CLIENT_H_
#define SHARDKV_CLIENT_H_

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

  std::string Get(const std::string& key);  // "" for a missing key
  void Put(const std::string& key, const std::string& value);
  void Append(const std::string& key, const std::string& value);

 private:
  shardctrler::Clerk sm_;  // the controller's Clerk
  const MakeEnd make_end_;
  shardctrler::Config config_;  // the latest configuration this Clerk knows
  // TODO(student, 4B): an id of its own and a sequence number, for exactly-once.
};

}  // namespace shardkv

#endif  // SHARDKV_CLIENT_H_
