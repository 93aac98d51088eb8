// Lab 3: the Clerk. Your implementation goes here (and in client.h).
#include "client.h"

#include <utility>

#include "common.h"
#include "labrpc/unimplemented.h"

namespace kvraft {

Clerk::Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers) : servers_(std::move(servers)) {
  // TODO(student, 3A): your initialization. lab::rand() gives a 64-bit number from the run's
  // seeded generator, a fine client id.
}

// Sends the RPC with:
//   GetArgs args{...};
//   GetReply reply;
//   bool ok = servers_[i]->Call("KVServer.Get", args, &reply);
// ok is false when the request or the reply was lost, or the server is unreachable; then the
// server may or may not have executed it. Try another server when a server answers
// kErrWrongLeader or does not answer at all.
std::string Clerk::Get(const std::string& key) {
  // TODO(student, 3A): keep trying until a server answers OK or ErrNoKey.
  (void)key;
  LAB_UNIMPLEMENTED("3A");
}

// Shared by Put and Append: sends "KVServer.PutAppend" until a server answers OK.
void Clerk::PutAppend(const std::string& key, const std::string& value, const std::string& op) {
  // TODO(student, 3A): as Get, with a request the servers can recognise when it is retried.
  (void)key;
  (void)value;
  (void)op;
  LAB_UNIMPLEMENTED("3A");
}

void Clerk::Put(const std::string& key, const std::string& value) { PutAppend(key, value, "Put"); }

void Clerk::Append(const std::string& key, const std::string& value) {
  PutAppend(key, value, "Append");
}

}  // namespace kvraft
