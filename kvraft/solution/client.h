// Lab 3 reference: the Clerk.
//
// It remembers which server last acted as the leader and tries it first; it names each request
// (client_id, seq) so that the servers execute it once however often it is sent; and it keeps
// trying, in turn, every server until one executes the request.
#ifndef KVRAFT_SOLUTION_CLIENT_H_
#define KVRAFT_SOLUTION_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "labrpc/labrpc.h"

namespace kvraft {

class Clerk {
 public:
  explicit Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers);

  std::string Get(const std::string& key);
  void Put(const std::string& key, const std::string& value);
  void Append(const std::string& key, const std::string& value);

 private:
  void PutAppend(const std::string& key, const std::string& value, const std::string& op);
  // After a failed try: move on to the next server, pausing briefly after each full round
  // (an election is probably under way, and nobody can answer yet).
  void NextServer();

  std::vector<std::shared_ptr<lab::ClientEnd>> servers_;
  const std::int64_t client_id_;
  std::int64_t seq_ = 0;  // the number of the last request sent
  int leader_ = 0;        // the server to try first
  int tried_ = 0;         // servers tried since the last success
};

}  // namespace kvraft

#endif  // KVRAFT_SOLUTION_CLIENT_H_
