// Persister: what a server saves to "disk" and gets back after a crash (2023 API).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// The tester owns one Persister per server. Raft calls Save whenever its persistent state
// changes; after a crash the tester hands the restarted server a Copy holding exactly what
// was last saved. Bytes are copied in and out: later changes to a caller's buffer never
// reach the persister, and vice versa.
//
// Thread safety: every method may be called from any task. Save is atomic: a reader sees
// either the old pair (state, snapshot) or the new one, never a mix. No method blocks.
#ifndef LABRPC_PERSISTER_H_
#define LABRPC_PERSISTER_H_

#include <cstddef>
#include <memory>
#include <mutex>

#include "labrpc/codec.h"

namespace lab {

class Persister {
 public:
  Persister();
  Persister(const Persister&) = delete;
  Persister& operator=(const Persister&) = delete;

  // A new Persister holding the same state and snapshot (cheap: contents are shared until
  // either side saves again).
  std::shared_ptr<Persister> Copy() const;

  // Atomically replaces both the Raft state and the snapshot. The arguments are taken by
  // value: pass an rvalue (Save(encoder.Finish(), ...)) and the bytes are moved, not copied.
  void Save(Bytes raft_state, Bytes snapshot);
  // Replaces the Raft state and keeps the snapshot saved last: the same as
  // Save(raft_state, ReadSnapshot()) without copying the snapshot, for a Raft whose snapshot
  // has not changed since it last saved (most saves, once snapshots are large).
  void SaveRaftState(Bytes raft_state);
  Bytes ReadRaftState() const;
  Bytes ReadSnapshot() const;
  std::size_t RaftStateSize() const;
  std::size_t SnapshotSize() const;

 private:
  using Shared = std::shared_ptr<const Bytes>;
  mutable std::mutex mu_;  // never held across a blocking point
  Shared raft_state_;      // never null; protected by mu_
  Shared snapshot_;        // never null; protected by mu_
};

}  // namespace lab

#endif  // LABRPC_PERSISTER_H_
