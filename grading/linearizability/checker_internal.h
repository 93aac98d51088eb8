// Internals of checker.h: the parts of the check that depend on the model's types (state
// ids, history validation, turning search results into PartitionInfo). Not an API.
#ifndef GRADING_LINEARIZABILITY_CHECKER_INTERNAL_H_
#define GRADING_LINEARIZABILITY_CHECKER_INTERNAL_H_

#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grading/linearizability/check_result.h"
#include "grading/linearizability/model.h"
#include "grading/linearizability/search.h"

namespace lab::linearizability::detail {

// Runs the searches in parallel (checker.cpp). Unfinished searches come back kStopped;
// *timed_out tells whether the timeout fired.
std::vector<SearchResult> RunSearches(const std::vector<SearchProblem>& problems,
                                      const CheckOptions& options, bool* timed_out);

// Gives dense ids to states: equal states (by model.equal) get the same id, id 0 is the
// initial state. One table per partition, used by one thread. Open addressing on the
// model's hash; slots hold state ids.
template <typename State, typename Input, typename Output>
class StateTable {
 public:
  StateTable(const Model<State, Input, Output>& model, State initial)
      : model_(model), slots_(1024, kEmpty) {
    const std::size_t hash = model_.hash(initial);
    Add(std::move(initial), hash);
  }

  const State& Get(int id) const { return states_[id]; }

  // The id of `state`. `current` is the id the step started from: reads leave the state
  // unchanged, and that check is cheaper than hashing.
  int Intern(State&& state, int current) {
    if (model_.equal(state, states_[current])) return current;
    const std::size_t hash = model_.hash(state);
    for (std::size_t slot = hash & (slots_.size() - 1); slots_[slot] != kEmpty;
         slot = (slot + 1) & (slots_.size() - 1)) {
      const int id = slots_[slot];
      if (hashes_[id] == hash && model_.equal(state, states_[id])) return id;
    }
    return Add(std::move(state), hash);
  }

 private:
  static constexpr int kEmpty = -1;

  int Add(State&& state, std::size_t hash) {
    const int id = static_cast<int>(states_.size());
    states_.push_back(std::move(state));
    hashes_.push_back(hash);
    if (states_.size() * 2 > slots_.size()) {
      slots_.assign(slots_.size() * 2, kEmpty);
      for (int i = 0; i < id; ++i) Place(i);
    }
    Place(id);
    return id;
  }
  void Place(int id) {
    std::size_t slot = hashes_[id] & (slots_.size() - 1);
    while (slots_[slot] != kEmpty) slot = (slot + 1) & (slots_.size() - 1);
    slots_[slot] = id;
  }

  const Model<State, Input, Output>& model_;
  std::vector<State> states_;
  std::vector<std::size_t> hashes_;  // parallel to states_
  std::vector<int> slots_;           // size a power of two, at most half full
};

template <typename Op>
void ValidateHistory(const std::vector<Op>& history,
                     const std::vector<std::vector<std::size_t>>& groups) {
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (history[i].return_time < history[i].call) {
      throw std::invalid_argument(
          "operation " + std::to_string(i) + " returns (" + std::to_string(history[i].return_time) +
          ") before it is called (" + std::to_string(history[i].call) + ")");
    }
  }
  std::vector<bool> seen(history.size(), false);
  std::size_t count = 0;
  for (const auto& group : groups) {
    for (std::size_t index : group) {
      if (index >= history.size() || seen[index]) {
        throw std::invalid_argument("model partition lists operation " + std::to_string(index) +
                                    (index >= history.size() ? " (out of range)" : " twice"));
      }
      seen[index] = true;
      ++count;
    }
  }
  if (count != history.size()) {
    throw std::invalid_argument("model partition leaves out " +
                                std::to_string(history.size() - count) + " operations");
  }
}

// Converts one search result to history indices, keeps only the prefixes some operation
// refers to, longest first, and finds the blocking operation.
template <typename Op>
PartitionInfo MakePartitionInfo(const std::vector<Op>& history, std::vector<std::size_t> ops,
                                SearchResult&& search) {
  PartitionInfo info;
  info.steps = search.steps;
  info.backtracks = search.backtracks;
  info.cache_entries = search.cache_entries;
  switch (search.outcome) {
    case SearchOutcome::kLinearizable:
      info.result = CheckResult::kOk;
      break;
    case SearchOutcome::kNotLinearizable:
      info.result = CheckResult::kIllegal;
      break;
    case SearchOutcome::kStopped:
      info.result = CheckResult::kUnknown;
      break;
  }
  const int n = static_cast<int>(ops.size());
  info.largest.assign(n, -1);
  if (!search.longest_prefix.empty()) {
    std::vector<int> used;  // prefix indices referred to by some op
    for (int p : search.longest_prefix) {
      if (p >= 0) used.push_back(p);
    }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    std::stable_sort(used.begin(), used.end(), [&](int a, int b) {
      return search.prefixes[a].size() > search.prefixes[b].size();
    });
    std::unordered_map<int, int> new_index;
    for (int p : used) {
      new_index[p] = static_cast<int>(info.partial_linearizations.size());
      auto& out = info.partial_linearizations.emplace_back();
      for (int op : search.prefixes[p]) out.push_back(ops[op]);
    }
    for (int op = 0; op < n; ++op) {
      const int p = search.longest_prefix[op];
      if (p >= 0) info.largest[op] = new_index[p];
    }
  }
  if (info.result == CheckResult::kIllegal && !search.longest_prefix.empty()) {
    // The first return, in event order, among operations outside the longest prefix.
    std::vector<bool> in_longest(n, false);
    for (int op = 0; op < n; ++op) {
      in_longest[op] = info.largest[op] == 0;
    }
    std::optional<int> blocking;
    for (int op = 0; op < n; ++op) {
      if (in_longest[op]) continue;
      if (!blocking || history[ops[op]].return_time < history[ops[*blocking]].return_time) {
        blocking = op;
      }
    }
    if (blocking) info.blocking_operation = ops[*blocking];
  }
  info.operations = std::move(ops);
  return info;
}

}  // namespace lab::linearizability::detail

#endif  // GRADING_LINEARIZABILITY_CHECKER_INTERNAL_H_
