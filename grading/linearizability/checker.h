// The linearizability checker: is a history of concurrent operations explainable by some
// sequential order of the model?
//
//   CheckOperations(model, history)                 -> bool (Illegal = false; no timeout)
//   CheckOperationsTimeout(model, history, timeout) -> Ok / Illegal / Unknown
//   CheckOperationsVerbose(model, history, options) -> LinearizationInfo (result + what the
//       visualization needs: per partition, the longest linearizable prefix containing each
//       operation, and the operation that could not be linearized)
//
// The history is split with model.partition and each part is searched on its own
// (P-compositionality), in parallel on up to std::thread::hardware_concurrency() threads.
// Any part Illegal -> Illegal; otherwise any part unfinished at the timeout -> Unknown;
// otherwise Ok. Without verbose, the first Illegal part stops the others.
//
// Thread safety: the functions are reentrant; model.step runs concurrently on different
// partitions, so it must be pure. The checker uses OS threads and the steady clock: it is a
// grading tool, not lab code, and may be called from a simulated test's main task (it blocks
// the run until done, which costs no virtual time).
//
// Errors: std::invalid_argument when an operation returns before it is called, or the
// model's partition does not cover every operation exactly once.
#ifndef GRADING_LINEARIZABILITY_CHECKER_H_
#define GRADING_LINEARIZABILITY_CHECKER_H_

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grading/linearizability/model.h"
#include "grading/linearizability/search.h"

namespace lab::linearizability {

struct CheckOptions {
  // Wall-clock budget for the whole check; zero or negative means none.
  std::chrono::duration<double> timeout{0};
  // Record linearizable prefixes (needed by the visualization and the CLI's explanation);
  // also disables stopping the other partitions at the first Illegal one.
  bool verbose = false;
  // Worker threads; 0 = hardware_concurrency (at least 1, at most the partition count).
  int threads = 0;
};

struct PartitionInfo {
  // Indices into the history of this partition's operations, sorted by call time.
  std::vector<std::size_t> operations;
  // kOk, kIllegal, or kUnknown when the search did not finish (timeout, or stopped after
  // another partition was found Illegal).
  CheckResult result = CheckResult::kUnknown;
  // Linearizable prefixes (history indices in linearization order), longest first. For an
  // Ok partition the first is a full linearization. Filled in verbose mode; for Ok
  // partitions always.
  std::vector<std::vector<std::size_t>> partial_linearizations;
  // Parallel to `operations`: index into partial_linearizations of the longest prefix that
  // contains the operation, or -1 if no explored prefix contains it.
  std::vector<int> largest;
  // Illegal partitions (verbose): the operation that had to take effect next after the
  // longest prefix and could not (its return comes first among the operations left out).
  std::optional<std::size_t> blocking_operation;
  // Search statistics.
  std::uint64_t steps = 0;
  std::uint64_t backtracks = 0;
  std::uint64_t cache_entries = 0;
};

struct LinearizationInfo {
  CheckResult result = CheckResult::kUnknown;
  bool timed_out = false;
  std::vector<PartitionInfo> partitions;  // in the model's partition order
};

namespace detail {

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
      throw std::invalid_argument("operation " + std::to_string(i) + " returns (" +
                                  std::to_string(history[i].return_time) +
                                  ") before it is called (" + std::to_string(history[i].call) +
                                  ")");
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

}  // namespace detail

template <typename State, typename Input, typename Output>
LinearizationInfo CheckOperationsVerbose(const Model<State, Input, Output>& user_model,
                                         const std::vector<Operation<Input, Output>>& history,
                                         const CheckOptions& options = {}) {
  using Table = detail::StateTable<State, Input, Output>;
  const Model<State, Input, Output> model = user_model.Resolved();
  std::vector<std::vector<std::size_t>> groups = model.partition(history);
  detail::ValidateHistory(history, groups);

  std::vector<std::unique_ptr<Table>> tables;
  std::vector<detail::SearchProblem> problems;
  for (auto& group : groups) {
    // Number operations in call order (see memo_cache.h for why).
    std::sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) {
      return std::tie(history[a].call, history[a].return_time, a) <
             std::tie(history[b].call, history[b].return_time, b);
    });
    auto& table = *tables.emplace_back(std::make_unique<Table>(model, model.init()));
    detail::SearchProblem& problem = problems.emplace_back();
    for (std::size_t index : group) {
      problem.call_times.push_back(history[index].call);
      problem.return_times.push_back(history[index].return_time);
    }
    problem.step = [&model, &history, &table, &group](int state, int op) {
      const auto& operation = history[group[op]];
      std::optional<State> next = model.step(table.Get(state), operation.input, operation.output);
      if (!next) return detail::kIllegalStep;
      return table.Intern(std::move(*next), state);
    };
  }

  LinearizationInfo info;
  std::vector<detail::SearchResult> results = detail::RunSearches(problems, options,
                                                                  &info.timed_out);
  bool any_illegal = false;
  bool any_unknown = false;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    PartitionInfo& partition = info.partitions.emplace_back(
        detail::MakePartitionInfo(history, std::move(groups[i]), std::move(results[i])));
    any_illegal |= partition.result == CheckResult::kIllegal;
    any_unknown |= partition.result == CheckResult::kUnknown;
  }
  info.result = any_illegal   ? CheckResult::kIllegal
                : any_unknown ? CheckResult::kUnknown
                              : CheckResult::kOk;
  return info;
}

template <typename State, typename Input, typename Output>
CheckResult CheckOperationsTimeout(const Model<State, Input, Output>& model,
                                   const std::vector<Operation<Input, Output>>& history,
                                   std::chrono::duration<double> timeout) {
  CheckOptions options;
  options.timeout = timeout;
  return CheckOperationsVerbose(model, history, options).result;
}

template <typename State, typename Input, typename Output>
bool CheckOperations(const Model<State, Input, Output>& model,
                     const std::vector<Operation<Input, Output>>& history) {
  return CheckOperationsVerbose(model, history).result == CheckResult::kOk;
}

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_CHECKER_H_
