// raft::Log: the Raft log after compaction (§7), addressed by Raft log index.
//
// The log holds the entries after the snapshot. A Raft log index (the first entry has index 1)
// and a position in the log are different things: position 0 is a sentinel standing for the
// snapshot's last entry, holding its term, and index i lives at position
// i - snapshot_index(). The sentinel means the term of every index from snapshot_index() to
// LastIndex() is known, which AppendEntries' consistency check needs for the entry just before
// the ones it sends.
//
// Persistence. Raft saves the whole log every time it changes. Re-encoding every entry each
// time would cost O(n) encodings per append and O(n²) over a run (the churn tests append
// thousands of entries on five servers), so the Log keeps the persisted form of its entries
// up to date as it changes: one byte string, appended to by Append, cut by TruncateFrom and
// CompactTo. EncodeTo is then a single copy of that string.
//
// Thread safety: none; the owning Raft protects it with its mutex.
#ifndef RAFT_SOLUTION_LOG_H_
#define RAFT_SOLUTION_LOG_H_

#include <cstddef>
#include <vector>

#include "labrpc/codec.h"
#include "messages.h"

namespace raft {

class Log {
 public:
  // An empty log: only the sentinel, index 0 with term 0.
  Log();

  int snapshot_index() const { return snapshot_index_; }
  int snapshot_term() const { return slots_.front().entry.term; }
  int LastIndex() const { return snapshot_index_ + static_cast<int>(slots_.size()) - 1; }
  int LastTerm() const { return slots_.back().entry.term; }

  // REQUIRES: snapshot_index() <= index <= LastIndex().
  int Term(int index) const;
  // REQUIRES: snapshot_index() < index <= LastIndex().
  const LogEntry& At(int index) const;
  // The entries from `index` on, at most `count_max` of them.
  // REQUIRES: snapshot_index() < index <= LastIndex() + 1.
  std::vector<LogEntry> From(int index, int count_max) const;

  void Append(LogEntry entry);
  // Removes the entries from `index` to the end.
  // REQUIRES: snapshot_index() < index <= LastIndex() + 1.
  void TruncateFrom(int index);
  // Makes (index, term) the snapshot's last entry: drops every entry up to index. If the log
  // holds index with that term, the entries after it stay (Figure 13, InstallSnapshot rule 6);
  // otherwise the log becomes empty (rule 7). REQUIRES: index > snapshot_index().
  void CompactTo(int index, int term);

  // Adds the log to a persisted state, and reads it back in the same order.
  void EncodeTo(lab::Encoder& encoder) const;
  // Throws lab::CodecError if the bytes are not what EncodeTo wrote.
  static Log DecodeFrom(lab::Decoder& decoder);

 private:
  struct Slot {
    LogEntry entry;
    std::size_t end = 0;  // where this entry's record ends in encoded_; 0 for the sentinel
  };
  int Pos(int index) const;  // the one place where an index becomes a position
  // Appends the record of `entry` (size, then encoding) to encoded_ and its slot to slots_.
  void AppendRecord(LogEntry entry, const lab::Bytes& encoding);

  // Invariant: slots_ is never empty; slots_[0] is the sentinel.
  std::vector<Slot> slots_;
  int snapshot_index_ = 0;
  // The records of slots_[1..] in order: for each entry, its encoding's size as 4 bytes
  // (little-endian), then lab::Encode(entry). Invariant: encoded_.size() == slots_.back().end.
  lab::Bytes encoded_;
};

}  // namespace raft

#endif  // RAFT_SOLUTION_LOG_H_
