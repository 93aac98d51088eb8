// Lab 4B: the sharded key/value Clerk. This is your file; the contract is in client.h.
#include "client.h"

#include <utility>

#include "labrpc/unimplemented.h"

namespace shardkv {

Clerk::Clerk(std::vector<std::shared_ptr<lab::ClientEnd>> ctrlers, MakeEnd make_end)
    : sm_(std::move(ctrlers)), make_end_(std::move(make_end)) {
  // TODO(student, 4B): your Clerk's initialisation, if any.
}

std::string Clerk::Get(const std::string& key) {
  // TODO(student, 4B): find the group of the key's shard and ask its servers.
  (void)key;
  LAB_UNIMPLEMENTED("4B");
}

void Clerk::Put(const std::string& key, const std::string& value) {
  // TODO(student, 4B)
  (void)key;
  (void)value;
  LAB_UNIMPLEMENTED("4B");
}

void Clerk::Append(const std::string& key, const std::string& value) {
  // TODO(student, 4B)
  (void)key;
  (void)value;
  LAB_UNIMPLEMENTED("4B");
}

}  // namespace shardkv
