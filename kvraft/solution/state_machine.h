// Lab 3 reference: the replicated state machine, free of Raft, tasks and locks.
//
// Every replica feeds it the same committed operations in the same order, so every replica
// holds the same map and the same duplicate table. It is deterministic and pure, so it is
// unit-tested on its own (state_machine_test.cpp).
//
// Exactly once: the duplicate table remembers, per Clerk, the highest sequence number whose
// Put or Append was executed. A Clerk sends one request at a time and numbers them in
// increasing order, so a write with seq <= that number is a retry of one already executed,
// and is acknowledged without being executed again. Gets change nothing and always run.
// The table is part of the snapshot: otherwise a server restored from a snapshot would
// execute a retried write a second time.
#ifndef KVRAFT_SOLUTION_STATE_MACHINE_H_
#define KVRAFT_SOLUTION_STATE_MACHINE_H_

#include <cstdint>
#include <map>
#include <string>

#include "labrpc/codec.h"
#include "op.h"

namespace kvraft {

class StateMachine {
 public:
  // Executes `op` (or recognises a duplicate write) and returns what a Get reads: the value
  // of op.key after the operation ("" for a missing key).
  std::string Apply(const Op& op);

  // The value of `key`, if present.
  bool Contains(const std::string& key) const { return data_.contains(key); }

  // The whole state (map and duplicate table) as bytes, and back. Restore throws
  // lab::CodecError on bytes that are not a snapshot.
  lab::Bytes Snapshot() const;
  void Restore(const lab::Bytes& snapshot);

 private:
  std::map<std::string, std::string> data_;
  std::map<std::int64_t, std::int64_t> last_write_seq_;  // client id -> highest executed seq
};

}  // namespace kvraft

#endif  // KVRAFT_SOLUTION_STATE_MACHINE_H_
