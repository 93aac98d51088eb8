#include "labrpc/persister.h"

#include <utility>

namespace lab {
namespace {
const std::shared_ptr<const Bytes>& EmptyBytes() {
  static const auto* empty = new std::shared_ptr<const Bytes>(std::make_shared<const Bytes>());
  return *empty;
}
}  // namespace

Persister::Persister() : raft_state_(EmptyBytes()), snapshot_(EmptyBytes()) {}

std::shared_ptr<Persister> Persister::Copy() const {
  auto copy = std::make_shared<Persister>();
  std::lock_guard lock(mu_);
  // Sharing is safe: Save never mutates a buffer, it installs new ones.
  copy->raft_state_ = raft_state_;
  copy->snapshot_ = snapshot_;
  return copy;
}

void Persister::Save(Bytes raft_state, Bytes snapshot) {
  auto state_copy = std::make_shared<const Bytes>(std::move(raft_state));
  auto snapshot_copy = std::make_shared<const Bytes>(std::move(snapshot));
  std::lock_guard lock(mu_);
  raft_state_ = std::move(state_copy);
  snapshot_ = std::move(snapshot_copy);
}

void Persister::SaveRaftState(Bytes raft_state) {
  auto state_copy = std::make_shared<const Bytes>(std::move(raft_state));
  std::lock_guard lock(mu_);
  raft_state_ = std::move(state_copy);
}

Bytes Persister::ReadRaftState() const {
  std::lock_guard lock(mu_);
  return *raft_state_;
}

Bytes Persister::ReadSnapshot() const {
  std::lock_guard lock(mu_);
  return *snapshot_;
}

std::size_t Persister::RaftStateSize() const {
  std::lock_guard lock(mu_);
  return raft_state_->size();
}

std::size_t Persister::SnapshotSize() const {
  std::lock_guard lock(mu_);
  return snapshot_->size();
}

}  // namespace lab
