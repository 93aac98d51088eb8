// KvValue: the value of one key as the checker's search sees it, built so that the search's
// most frequent operations are cheap.
//
// The search creates a new state for every append it tries, and keeps every distinct state
// it has seen. With std::string states an append copies the whole value and each kept state
// holds a full copy (gigabytes for a long append-heavy history). A KvValue is instead an
// immutable, shared list of written chunks, newest first:
//   Append(v)   O(|v|): a new chunk pointing at the old value, which is shared, not copied
//   Put(v)      O(|v|): a chunk with no predecessor
//   size(), hash()      O(1): kept in each chunk; the hash is a polynomial hash of the whole
//                       text, so equal texts have equal hashes however they were built
//   Equals(text), ==    O(1) when sizes or hashes differ, else a backward walk, no allocation
//   ToString()          O(size) (for descriptions)
// Thread safety: a KvValue may be read from several threads; chunks are never modified after
// construction (except by the destructor, see kv_value.cpp).
#ifndef GRADING_LINEARIZABILITY_KV_VALUE_H_
#define GRADING_LINEARIZABILITY_KV_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace lab::linearizability {

class KvValue {
 public:
  KvValue() = default;  // ""

  static KvValue Put(std::string_view text);
  KvValue Append(std::string_view suffix) const;

  std::size_t size() const { return chunk_ ? chunk_->size : 0; }
  // Polynomial hash of the text (well mixed, so its low bits can index a table).
  std::uint64_t hash() const;
  bool Equals(std::string_view text) const;
  bool operator==(const KvValue& other) const;
  std::string ToString() const;

 private:
  struct Chunk {
    Chunk(std::shared_ptr<const Chunk> previous_chunk, std::string_view chunk_text);
    ~Chunk();
    Chunk(const Chunk&) = delete;
    Chunk& operator=(const Chunk&) = delete;

    // The chunks before this one (null: this chunk starts the value). Mutable only so that
    // the destructor can free long chains iteratively instead of recursively.
    mutable std::shared_ptr<const Chunk> previous;
    std::string text;
    std::size_t size;        // Invariant: previous->size + text.size()
    std::uint64_t raw_hash;  // Invariant: raw_hash(previous) * B^|text| + raw_hash(text)
  };

  explicit KvValue(std::shared_ptr<const Chunk> chunk) : chunk_(std::move(chunk)) {}
  static bool SameText(const Chunk* a, const Chunk* b);

  std::shared_ptr<const Chunk> chunk_;  // null: ""
};

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_KV_VALUE_H_
