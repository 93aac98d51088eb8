// raft::Log: index arithmetic, compaction, and the cached encoding (see log.h).
#include "log.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "labrpc/check.h"

namespace raft {

Log::Log() : slots_(1) {}

int Log::Pos(int index) const {
  LAB_CHECK(index >= snapshot_index_ && index <= LastIndex(), "log index {} outside [{}, {}]",
            index, snapshot_index_, LastIndex());
  return index - snapshot_index_;
}

int Log::Term(int index) const { return slots_[Pos(index)].entry.term; }

const LogEntry& Log::At(int index) const {
  LAB_CHECK(index > snapshot_index_, "entry {} is inside the snapshot (up to {})", index,
            snapshot_index_);
  return slots_[Pos(index)].entry;
}

std::vector<LogEntry> Log::From(int index, int count_max) const {
  LAB_CHECK(index > snapshot_index_, "entries from {}: inside the snapshot (up to {})", index,
            snapshot_index_);
  const int first = Pos(index - 1) + 1;
  const int end = std::min(static_cast<int>(slots_.size()), first + count_max);
  std::vector<LogEntry> entries;
  for (int pos = first; pos < end; ++pos) entries.push_back(slots_[pos].entry);
  return entries;
}

void Log::AppendRecord(LogEntry entry, const lab::Bytes& encoding) {
  const auto size = static_cast<std::uint32_t>(encoding.size());
  for (int shift = 0; shift < 32; shift += 8) encoded_.push_back((size >> shift) & 0xff);
  encoded_.insert(encoded_.end(), encoding.begin(), encoding.end());
  slots_.push_back(Slot{std::move(entry), encoded_.size()});
}

void Log::Append(LogEntry entry) {
  const lab::Bytes encoding = lab::Encode(entry);
  AppendRecord(std::move(entry), encoding);
}

void Log::TruncateFrom(int index) {
  LAB_CHECK(index > snapshot_index_, "truncating from {}: inside the snapshot (up to {})", index,
            snapshot_index_);
  slots_.resize(Pos(index - 1) + 1);
  encoded_.resize(slots_.back().end);
}

void Log::CompactTo(int index, int term) {
  LAB_CHECK(index > snapshot_index_, "compacting to {}: not past the snapshot ({})", index,
            snapshot_index_);
  if (index <= LastIndex() && Term(index) == term) {
    const std::size_t cut = slots_[Pos(index)].end;  // the records up to index go
    slots_.erase(slots_.begin(), slots_.begin() + Pos(index));
    for (Slot& slot : slots_) slot.end -= cut;
    encoded_.erase(encoded_.begin(), encoded_.begin() + static_cast<std::ptrdiff_t>(cut));
  } else {
    slots_.resize(1);
    encoded_.clear();
  }
  slots_[0] = Slot{LogEntry{term, nullptr}, 0};
  snapshot_index_ = index;
}

void Log::EncodeTo(lab::Encoder& encoder) const {
  encoder.Put(snapshot_index_)
      .Put(snapshot_term())
      .PutBytesRef(encoded_);  // persisted after every change: not copied before Finish
}

Log Log::DecodeFrom(lab::Decoder& decoder) {
  Log log;
  log.snapshot_index_ = decoder.Get<int>();
  log.slots_[0].entry.term = decoder.Get<int>();
  const auto bytes = decoder.Get<nlohmann::json::binary_t>();
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (bytes.size() - at < 4) throw lab::CodecError("persisted Raft log: truncated entry size");
    std::uint32_t size = 0;
    for (int i = 0; i < 4; ++i) size |= static_cast<std::uint32_t>(bytes[at + i]) << (8 * i);
    at += 4;
    if (bytes.size() - at < size) throw lab::CodecError("persisted Raft log: truncated entry");
    const lab::Bytes encoding(bytes.begin() + at, bytes.begin() + at + size);
    at += size;
    log.AppendRecord(lab::Decode<LogEntry>(encoding), encoding);
  }
  return log;
}

}  // namespace raft
