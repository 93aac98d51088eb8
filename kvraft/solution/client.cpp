// Lab 3 reference: the Clerk. The contract is in client.h.
#include "client.h"

#include <chrono>
#include <utility>

#include "common.h"

namespace kvraft {

Clerk::Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> servers)
    : servers_(std::move(servers)),
      // 63 random bits from the run's generator: unique in practice, and a seed replays it.
      client_id_(static_cast<std::int64_t>(lab::rand() >> 1)) {}

void Clerk::NextServer() {
  leader_ = (leader_ + 1) % static_cast<int>(servers_.size());
  if (++tried_ % static_cast<int>(servers_.size()) == 0) {
    lab::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string Clerk::Get(const std::string& key) {
  GetArgs args{key, client_id_, ++seq_};
  for (;;) {
    GetReply reply;
    if (servers_[leader_]->Call("KVServer.Get", args, &reply) &&
        (reply.err == kOK || reply.err == kErrNoKey)) {
      tried_ = 0;
      return reply.value;
    }
    NextServer();
  }
}

void Clerk::PutAppend(const std::string& key, const std::string& value, const std::string& op) {
  PutAppendArgs args{key, value, op, client_id_, ++seq_};
  for (;;) {
    PutAppendReply reply;
    if (servers_[leader_]->Call("KVServer.PutAppend", args, &reply) && reply.err == kOK) {
      tried_ = 0;
      return;
    }
    NextServer();
  }
}

void Clerk::Put(const std::string& key, const std::string& value) { PutAppend(key, value, "Put"); }

void Clerk::Append(const std::string& key, const std::string& value) {
  PutAppend(key, value, "Append");
}

}  // namespace kvraft
