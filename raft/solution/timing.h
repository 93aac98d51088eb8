// The reference solution's timing constants, in one place.
//
// The tester allows at most about ten heartbeats per second per follower (TestCount2B counts
// the RPCs of one idle second) and expects a new leader within five seconds of a failure
// (checkOneLeader polls ten times, ~0.5 s apart). The election timeout is therefore well
// above the heartbeat interval, so a follower tolerates a lost heartbeat or two, and short
// enough that even a few split votes in a row fit in the five seconds.
#ifndef RAFT_SOLUTION_TIMING_H_
#define RAFT_SOLUTION_TIMING_H_

#include <chrono>

#include "labrpc/runtime/runtime.h"

namespace raft {

// How often a leader sends AppendEntries to a follower when nothing else prompts it.
inline constexpr lab::Duration kHeartbeatInterval = std::chrono::milliseconds(100);

// A message carrying entries or a snapshot that got no reply within this time is presumed
// lost (the message or its reply), and the replicator sends again.
inline constexpr lab::Duration kRetransmitTimeout = kHeartbeatInterval;

// The most entries one AppendEntries carries. A lagging follower catches up in batches, so a
// follower that cannot be reached costs one small message per retransmit timeout.
inline constexpr int kMaxEntriesPerMessage = 256;

// A follower or candidate starts an election after hearing nothing for a duration drawn
// uniformly from [kElectionTimeoutMin, kElectionTimeoutMax] (§5.2: randomized timeouts make
// split votes rare).
inline constexpr lab::Duration kElectionTimeoutMin = std::chrono::milliseconds(300);
inline constexpr lab::Duration kElectionTimeoutMax = std::chrono::milliseconds(600);

static_assert(kElectionTimeoutMin >= 3 * kHeartbeatInterval,
              "a follower must survive two lost heartbeats without starting an election");
static_assert(kElectionTimeoutMax >= kElectionTimeoutMin + kHeartbeatInterval,
              "the timeout range must be wide enough to separate candidates");

}  // namespace raft

#endif  // RAFT_SOLUTION_TIMING_H_
