// The reference solution's log entry and RPC messages (Figure 2 and Figure 13 of the paper).
//
// Every field is listed in its NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE macro: a field left out
// would silently not cross the network and not be persisted.
#ifndef RAFT_SOLUTION_MESSAGES_H_
#define RAFT_SOLUTION_MESSAGES_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "labrpc/codec.h"

namespace raft {

// One log entry. Its index is implicit: the position in the log plus the snapshot's index.
struct LogEntry {
  int term = 0;
  nlohmann::json command;  // as given to Start
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LogEntry, term, command)

// Figure 2, RequestVote RPC.
struct RequestVoteArgs {
  int term = 0;            // candidate's term
  int candidate_id = 0;    // candidate requesting the vote
  int last_log_index = 0;  // index of the candidate's last log entry (§5.4)
  int last_log_term = 0;   // term of the candidate's last log entry (§5.4)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestVoteArgs, term, candidate_id, last_log_index,
                                   last_log_term)

struct RequestVoteReply {
  int term = 0;               // currentTerm, for the candidate to update itself
  bool vote_granted = false;  // true means the candidate received the vote
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestVoteReply, term, vote_granted)

// Figure 2, AppendEntries RPC (also the heartbeat, with no entries).
struct AppendEntriesArgs {
  int term = 0;  // leader's term
  int leader_id = 0;
  int prev_log_index = 0;  // index of the log entry immediately preceding the new ones
  int prev_log_term = 0;   // term of that entry
  std::vector<LogEntry> entries;
  int leader_commit = 0;  // leader's commitIndex
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AppendEntriesArgs, term, leader_id, prev_log_index,
                                   prev_log_term, entries, leader_commit)

struct AppendEntriesReply {
  int term = 0;          // currentTerm, for the leader to update itself
  bool success = false;  // the follower held an entry matching prev_log_index and prev_log_term
  // On rejection, where the follower's log diverges (fast backup, see
  // rules::NextIndexAfterReject): conflict_term = -1 means "my log is too short".
  int conflict_index = 0;
  int conflict_term = -1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AppendEntriesReply, term, success, conflict_index, conflict_term)

// Figure 13, InstallSnapshot RPC, sent in one piece (no offset/done chunking).
struct InstallSnapshotArgs {
  int term = 0;
  int leader_id = 0;
  int last_included_index = 0;  // the snapshot replaces all entries up to and including this
  int last_included_term = 0;
  lab::Bytes data;  // the service's snapshot, opaque to Raft
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(InstallSnapshotArgs, term, leader_id, last_included_index,
                                   last_included_term, data)

struct InstallSnapshotReply {
  int term = 0;  // currentTerm, for the leader to update itself
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(InstallSnapshotReply, term)

}  // namespace raft

#endif  // RAFT_SOLUTION_MESSAGES_H_
