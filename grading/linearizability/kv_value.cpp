#include "grading/linearizability/kv_value.h"

#include <algorithm>
#include <cstring>

namespace lab::linearizability {

namespace {

constexpr std::uint64_t kBase = 0x100000001B3ULL;  // odd, so multiplication mod 2^64 is a bijection

std::uint64_t Extend(std::uint64_t hash, std::string_view text) {
  for (unsigned char c : text) hash = hash * kBase + c + 1;
  return hash;
}

std::uint64_t Mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

KvValue::Chunk::Chunk(std::shared_ptr<const Chunk> previous_chunk, std::string_view chunk_text)
    : previous(std::move(previous_chunk)),
      text(chunk_text),
      size((previous ? previous->size : 0) + chunk_text.size()),
      raw_hash(Extend(previous ? previous->raw_hash : 0, chunk_text)) {}

// A value built by 10,000 appends is a chain of 10,000 chunks; freeing it recursively could
// overflow a small stack (the checker may run on a test's fiber). Unlink the chain while
// this chunk holds the only reference to the next one, so each chunk dies with no
// predecessor attached.
KvValue::Chunk::~Chunk() {
  std::shared_ptr<const Chunk> next = std::move(previous);
  while (next && next.use_count() == 1) {
    std::shared_ptr<const Chunk> after = std::move(next->previous);
    next = std::move(after);
  }
}

KvValue KvValue::Put(std::string_view text) {
  if (text.empty()) return KvValue();
  return KvValue(std::make_shared<const Chunk>(nullptr, text));
}

KvValue KvValue::Append(std::string_view suffix) const {
  if (suffix.empty()) return *this;
  return KvValue(std::make_shared<const Chunk>(chunk_, suffix));
}

std::uint64_t KvValue::hash() const { return Mix(chunk_ ? chunk_->raw_hash : 0); }

bool KvValue::Equals(std::string_view text) const {
  if (text.size() != size()) return false;
  std::size_t end = text.size();  // text[0, end) is still to compare
  for (const Chunk* c = chunk_.get(); c != nullptr; c = c->previous.get()) {
    end -= c->text.size();
    if (std::memcmp(text.data() + end, c->text.data(), c->text.size()) != 0) return false;
  }
  return true;
}

bool KvValue::operator==(const KvValue& other) const {
  if (chunk_ == other.chunk_) return true;
  if (size() != other.size() || hash() != other.hash()) return false;
  return SameText(chunk_.get(), other.chunk_.get());
}

// Compares two texts of equal size from their ends, chunk by chunk.
bool KvValue::SameText(const Chunk* a, const Chunk* b) {
  std::size_t a_left = a ? a->text.size() : 0;  // unread characters of a's current chunk
  std::size_t b_left = b ? b->text.size() : 0;
  for (;;) {
    if (a == b && a_left == b_left) return true;  // the rest is literally the same
    if (a != nullptr && a_left == 0) {
      a = a->previous.get();
      a_left = a ? a->text.size() : 0;
      continue;
    }
    if (b != nullptr && b_left == 0) {
      b = b->previous.get();
      b_left = b ? b->text.size() : 0;
      continue;
    }
    if (a == nullptr || b == nullptr) return a == b;  // sizes are equal: both ended
    const std::size_t n = std::min(a_left, b_left);
    if (std::memcmp(a->text.data() + a_left - n, b->text.data() + b_left - n, n) != 0) {
      return false;
    }
    a_left -= n;
    b_left -= n;
  }
}

std::string KvValue::ToString() const {
  std::string out(size(), '\0');
  std::size_t end = out.size();
  for (const Chunk* c = chunk_.get(); c != nullptr; c = c->previous.get()) {
    end -= c->text.size();
    std::memcpy(out.data() + end, c->text.data(), c->text.size());
  }
  return out;
}

}  // namespace lab::linearizability
