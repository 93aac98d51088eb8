#include "grading/linearizability/memo_cache.h"

#include <algorithm>
#include <stdexcept>

namespace lab::linearizability::detail {

namespace {

// SplitMix64: a fixed, well-mixed sequence, so runs are reproducible.
std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

LinearizedSet::LinearizedSet(int op_count)
    : op_count_(op_count), words_((op_count + 63) / 64, 0), keys_(op_count) {
  for (int op = 0; op < op_count; ++op) keys_[op] = SplitMix64(static_cast<std::uint64_t>(op));
}

std::uint64_t LinearizedSet::FullWord(int word) const {
  const int bits = std::min(64, op_count_ - word * 64);
  return bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
}

void LinearizedSet::Set(int op) {
  const int w = op / 64;
  words_[w] |= std::uint64_t{1} << (op % 64);
  hash_ ^= keys_[op];
  const int word_count = static_cast<int>(words_.size());
  while (lo_ < word_count && words_[lo_] == FullWord(lo_)) ++lo_;
  hi_ = std::max(hi_, w + 1);
}

void LinearizedSet::Clear(int op) {
  const int w = op / 64;
  words_[w] &= ~(std::uint64_t{1} << (op % 64));
  hash_ ^= keys_[op];
  lo_ = std::min(lo_, w);
  while (hi_ > 0 && words_[hi_ - 1] == 0) --hi_;
}

std::span<const std::uint64_t> LinearizedSet::Window() const {
  const int end = std::max(lo_, hi_);
  return {words_.data() + lo_, static_cast<std::size_t>(end - lo_)};
}

std::uint64_t MemoCache::Mix(std::uint64_t set_hash, int state) {
  return SplitMix64(set_hash ^ (static_cast<std::uint64_t>(state) * 0xD6E8FEB86659FD93ULL));
}

bool MemoCache::Matches(const Entry& entry, std::uint64_t hash, const LinearizedSet& set,
                        int state) const {
  if (entry.hash != hash || entry.state != state || entry.lo != set.lo()) return false;
  const auto window = set.Window();
  if (static_cast<std::size_t>(entry.length) != window.size()) return false;
  return std::equal(window.begin(), window.end(), arena_.begin() + entry.offset);
}

bool MemoCache::Insert(const LinearizedSet& set, int state) {
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  const std::uint64_t hash = Mix(set.hash(), state);
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = hash & mask;
  while (slots_[slot] != 0) {
    if (Matches(entries_[slots_[slot] - 1], hash, set, state)) return false;
    slot = (slot + 1) & mask;
  }
  if (entries_.size() >= 0xFFFFFFFEULL) throw std::length_error("memo cache full");
  const auto window = set.Window();
  entries_.push_back(Entry{hash, arena_.size(), set.lo(), static_cast<int>(window.size()), state});
  arena_.insert(arena_.end(), window.begin(), window.end());
  slots_[slot] = static_cast<std::uint32_t>(entries_.size());
  return true;
}

void MemoCache::Grow() {
  const std::size_t capacity = std::max<std::size_t>(1024, slots_.size() * 2);
  slots_.assign(capacity, 0);
  const std::size_t mask = capacity - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::size_t slot = entries_[i].hash & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = static_cast<std::uint32_t>(i + 1);
  }
}

}  // namespace lab::linearizability::detail
