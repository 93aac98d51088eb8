// Lab 3: the Clerk, the client library of the key/value service. This is your file.
//
//   kvraft::Clerk ck(ends);          // MakeClerk: ends[i] reaches some KVServer (random order)
//   ck.Put("k", "v");                // each call returns once the operation is executed,
//   ck.Append("k", "w");             // exactly once, whatever the network does
//   std::string v = ck.Get("k");     // "vw"; "" for a key that was never written
//
// A Clerk tries the servers until one that is the Raft leader executes its request, and keeps
// trying for ever (the tester relies on that: a call in a minority partition blocks until the
// partition heals). A Clerk makes one call at a time. Read docs/en/lab3-kvraft.md first.
#ifndef KVRAFT_CLIENT_H_
#define KVRAFT_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "labrpc/labrpc.h"

namespace kvraft {

class Clerk {
 public:
  explicit Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers);

  // The current value of `key`, or "" if it does not exist.
  std::string Get(const std::string& key);
  void Put(const std::string& key, const std::string& value);
  // Appends `value` to the key's value (a missing key acts as "").
  void Append(const std::string& key, const std::string& value);

 private:
  void PutAppend(const std::string& key, const std::string& value, const std::string& op);

  std::vector<std::shared_ptr<lab::ClientEnd>> servers_;
  // TODO(student, 3A): what the Clerk remembers between calls (the server it last found to
  // be the leader; an id of its own and a sequence number, for exactly-once).
};

}  // namespace kvraft

#endif  // KVRAFT_CLIENT_H_
