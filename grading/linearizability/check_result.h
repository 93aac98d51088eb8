// The options and results of a linearizability check (see checker.h for the functions).
#ifndef GRADING_LINEARIZABILITY_CHECK_RESULT_H_
#define GRADING_LINEARIZABILITY_CHECK_RESULT_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "grading/linearizability/model.h"

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

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_CHECK_RESULT_H_
