// Helpers shared by the checker's unit tests: compact operation builders, a brute-force
// checker for tiny histories, and a validator for linearizations the checker returns.
#ifndef GRADING_LINEARIZABILITY_TESTS_TEST_UTIL_H_
#define GRADING_LINEARIZABILITY_TESTS_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "grading/linearizability/kv_model.h"

namespace lab::linearizability::testing {

inline KvOperation Get(int client, const std::string& key, const std::string& output,
                       std::int64_t call, std::int64_t ret) {
  return {client, {KvOp::kGet, key, ""}, call, {output}, ret};
}
inline KvOperation Put(int client, const std::string& key, const std::string& value,
                       std::int64_t call, std::int64_t ret) {
  return {client, {KvOp::kPut, key, value}, call, {""}, ret};
}
inline KvOperation Append(int client, const std::string& key, const std::string& value,
                          std::int64_t call, std::int64_t ret) {
  return {client, {KvOp::kAppend, key, value}, call, {""}, ret};
}
inline KvOperation GetAndAppend(int client, const std::string& key, const std::string& value,
                                const std::string& old, std::int64_t call, std::int64_t ret) {
  return {client, {KvOp::kGetAndAppend, key, value}, call, {old}, ret};
}

// True if `order` (indices into history) may be a prefix of a linearization: every step
// is accepted by the key/value store, and no operation left out returned before an
// operation in the prefix was called, nor does an operation precede one that returned
// before it was called. With order.size() == history.size() this checks a linearization.
inline bool IsLinearizablePrefix(const std::vector<KvOperation>& history,
                                 const std::vector<std::size_t>& order) {
  std::vector<bool> in(history.size(), false);
  std::map<std::string, KvState> store;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const KvOperation& op = history[order[k]];
    if (in[order[k]]) return false;
    in[order[k]] = true;
    auto next = KvStep(store[op.input.key], op.input, op.output);
    if (!next) return false;
    store[op.input.key] = *next;
    for (std::size_t j = k + 1; j < order.size(); ++j) {
      if (history[order[j]].return_time < op.call) return false;  // must have come first
    }
  }
  for (std::size_t x = 0; x < history.size(); ++x) {
    if (in[x]) continue;
    for (std::size_t y : order) {
      if (history[x].return_time < history[y].call) return false;
    }
  }
  return true;
}

// Tries every order (no partitioning, no memo): exponential, for histories of <= 8 ops.
class BruteForceChecker {
 public:
  explicit BruteForceChecker(const std::vector<KvOperation>& history)
      : history_(history), used_(history.size(), false) {}

  bool Linearizable() { return Extend(0, {}); }

 private:
  bool Extend(std::size_t done, const std::map<std::string, KvState>& store) {
    if (done == history_.size()) return true;
    for (std::size_t x = 0; x < history_.size(); ++x) {
      if (used_[x] || !MayGoNext(x)) continue;
      const KvOperation& op = history_[x];
      auto it = store.find(op.input.key);
      auto next = KvStep(it == store.end() ? KvState() : it->second, op.input, op.output);
      if (!next) continue;
      auto after = store;
      after[op.input.key] = *next;
      used_[x] = true;
      const bool ok = Extend(done + 1, after);
      used_[x] = false;
      if (ok) return true;
    }
    return false;
  }
  // x may be next unless another remaining operation returned before x was called.
  bool MayGoNext(std::size_t x) const {
    for (std::size_t y = 0; y < history_.size(); ++y) {
      if (!used_[y] && y != x && history_[y].return_time < history_[x].call) return false;
    }
    return true;
  }

  const std::vector<KvOperation>& history_;
  std::vector<bool> used_;
};

}  // namespace lab::linearizability::testing

#endif  // GRADING_LINEARIZABILITY_TESTS_TEST_UTIL_H_
