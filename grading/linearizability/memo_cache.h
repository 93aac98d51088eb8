// The search's memory of where it has been: sets of linearized operations, and the cache of
// (linearized set, state) pairs already explored.
//
// Lowe's observation: two search paths that have linearized the same set of operations and
// reached the same state have the same future, so the second one can be cut. The cache makes
// the search polynomial in practice for histories with bounded concurrency.
//
// LinearizedSet is a bitset over a partition's operations with two refinements:
//   - a Zobrist hash (one random 64-bit key per operation, XORed in and out), updated in
//     O(1) on every Set/Clear instead of rehashing all words;
//   - a canonical window. Operations are numbered in call order and the search linearizes
//     roughly in that order, so the bitset is "all ones, a few mixed words, all zeros". The
//     cache stores only the mixed words [lo, hi), which keeps entries a few words long even
//     for partitions of thousands of operations.
#ifndef GRADING_LINEARIZABILITY_MEMO_CACHE_H_
#define GRADING_LINEARIZABILITY_MEMO_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lab::linearizability::detail {

class LinearizedSet {
 public:
  explicit LinearizedSet(int op_count);

  // REQUIRES: op is not in the set.
  void Set(int op);
  // REQUIRES: op is in the set.
  void Clear(int op);
  bool Contains(int op) const { return (words_[op / 64] >> (op % 64)) & 1U; }

  std::uint64_t hash() const { return hash_; }
  // Every word before lo() is full (all its operations linearized); every word from
  // lo() + Window().size() on is zero. Equal sets have equal lo() and Window().
  int lo() const { return lo_; }
  std::span<const std::uint64_t> Window() const;

 private:
  std::uint64_t FullWord(int word) const;

  int op_count_;
  std::vector<std::uint64_t> words_;
  std::vector<std::uint64_t> keys_;  // Zobrist key of each operation
  std::uint64_t hash_ = 0;           // Invariant: XOR of keys_[op] over ops in the set
  int lo_ = 0;                       // Invariant: words_[0, lo_) full, words_[lo_] not full
  int hi_ = 0;                       // Invariant: words_[hi_, end) zero, words_[hi_-1] not
};

// A hash set of (LinearizedSet, state id) pairs. Open addressing with linear probing; the
// window words live in one arena vector.
class MemoCache {
 public:
  MemoCache() = default;

  // Adds the pair; returns false (and changes nothing) if it was already present.
  bool Insert(const LinearizedSet& set, int state);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint64_t hash;
    std::size_t offset;  // first window word in arena_
    int lo;
    int length;  // window words
    int state;
  };

  static std::uint64_t Mix(std::uint64_t set_hash, int state);
  bool Matches(const Entry& entry, std::uint64_t hash, const LinearizedSet& set, int state) const;
  void Grow();

  std::vector<Entry> entries_;
  std::vector<std::uint64_t> arena_;
  std::vector<std::uint32_t> slots_;  // 0 = empty, else entry index + 1
};

}  // namespace lab::linearizability::detail

#endif  // GRADING_LINEARIZABILITY_MEMO_CACHE_H_
