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
#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "grading/linearizability/check_result.h"
#include "grading/linearizability/checker_internal.h"
#include "grading/linearizability/model.h"
#include "grading/linearizability/search.h"

namespace lab::linearizability {

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
      if (model.is_read_only) problem.read_only.push_back(model.is_read_only(history[index].input));
    }
    problem.step = [&model, &history, &table, &group](int state, int op) {
      const auto& operation = history[group[op]];
      std::optional<State> next = model.step(table.Get(state), operation.input, operation.output);
      if (!next) return detail::kIllegalStep;
      return table.Intern(std::move(*next), state);
    };
  }

  LinearizationInfo info;
  std::vector<detail::SearchResult> results =
      detail::RunSearches(problems, options, &info.timed_out);
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
