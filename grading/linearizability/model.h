// Model: the sequential specification a history is checked against.
//
//   Operation<Input, Output>   one completed call: who, what, result, when (call, return)
//   Model<State, Input, Output> the object's sequential behaviour:
//     partition           split a history into parts checked independently (P-compositionality)
//     init                the state before any operation
//     step                apply one operation to a state: the next state, or nullopt when the
//                         output is impossible from that state (the operation is illegal there)
//     equal, hash         state equality, and a hash consistent with it (memoization)
//     describe_operation  "get('x') -> 'a'", shown by the CLI and the visualization
//     describe_state      a state as text, shown in the visualization's tooltips
//     is_read_only        operations that never change the state (optional; speeds the search)
//     describe_partition  a heading for a partition ("key 'x'")
//
// A history is linearizable when every operation can be given a point between its call and
// its return such that applying the operations in the order of those points, with `step`
// from `init`, accepts every output. The checker (checker.h) searches for such an order.
//
// Model is a struct of std::function fields, so a model is written as data (kv_model.cpp is
// the example). Fields left empty get defaults from Resolved(): one partition, operator==,
// std::hash, and placeholder descriptions. `init` and `step` have no default.
#ifndef GRADING_LINEARIZABILITY_MODEL_H_
#define GRADING_LINEARIZABILITY_MODEL_H_

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lab::linearizability {

// One completed operation. Times are integers in any unit (the kvraft tester uses
// nanoseconds since the start of the test); only their order matters to the checker.
// Invariant (checked by the checker): call <= return_time.
template <typename Input, typename Output>
struct Operation {
  int client_id = 0;
  Input input{};
  std::int64_t call = 0;
  Output output{};
  std::int64_t return_time = 0;  // `return` is a keyword; JSON calls it "return"
};

// The three answers of a check, in the words of the original: a timeout can hide a
// violation, so Unknown means "not proven either way".
enum class CheckResult { kOk, kIllegal, kUnknown };

inline const char* ToString(CheckResult result) {
  switch (result) {
    case CheckResult::kOk:
      return "Ok";
    case CheckResult::kIllegal:
      return "Illegal";
    case CheckResult::kUnknown:
      return "Unknown";
  }
  return "?";
}

template <typename State, typename Input, typename Output>
struct Model {
  using StateType = State;
  using InputType = Input;
  using OutputType = Output;
  using Op = Operation<Input, Output>;

  // Returns groups of indices into the history; each group is checked on its own, so two
  // operations in different groups must never affect each other's legality (for a key/value
  // store: different keys). Every index must appear in exactly one group.
  // Default: a single group with every operation.
  std::function<std::vector<std::vector<std::size_t>>(const std::vector<Op>&)> partition;

  std::function<State()> init;

  // REQUIRES: pure (no side effects, same answer for the same arguments); the search calls
  // it many times, in any order, from several threads (one per partition).
  std::function<std::optional<State>(const State&, const Input&, const Output&)> step;

  // Default: operator==. If you set `equal`, set `hash` too, consistent with it
  // (equal states must hash equal); without one, Resolved() uses a constant hash, which is
  // correct but slow.
  std::function<bool(const State&, const State&)> equal;
  std::function<std::size_t(const State&)> hash;

  std::function<std::string(const Input&, const Output&)> describe_operation;
  std::function<std::string(const State&)> describe_state;
  // Optional: true for an operation that never changes the state (whenever `step` accepts
  // it, it returns a state equal to the one it was given), such as a get. The search then
  // linearizes such operations as soon as they are legal, without branching (search.h).
  // A wrong `true` makes the checker unsound; when unsure, leave it empty.
  std::function<bool(const Input&)> is_read_only;
  // A heading for a partition, given the input of any of its operations ("key 'x'").
  // Default: empty (the visualization then says "partition <n>").
  std::function<std::string(const Input&)> describe_partition;

  // A copy with every empty field filled with its default.
  // Throws std::invalid_argument if `init` or `step` is missing.
  Model Resolved() const;
};

// The default partition: everything in one group.
template <typename Op>
std::vector<std::vector<std::size_t>> NoPartition(const std::vector<Op>& history) {
  std::vector<std::size_t> all(history.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return {std::move(all)};
}

template <typename State, typename Input, typename Output>
Model<State, Input, Output> Model<State, Input, Output>::Resolved() const {
  if (!init || !step) {
    throw std::invalid_argument("linearizability model needs both `init` and `step`");
  }
  Model resolved = *this;
  if (!resolved.partition) resolved.partition = NoPartition<Op>;
  const bool custom_equal = static_cast<bool>(resolved.equal);
  if (!resolved.equal) {
    if constexpr (std::equality_comparable<State>) {
      resolved.equal = [](const State& a, const State& b) { return a == b; };
    } else {
      throw std::invalid_argument("linearizability model needs `equal`: State has no ==");
    }
  }
  if (!resolved.hash) {
    if constexpr (requires(const State& s) { std::hash<State>{}(s); }) {
      if (!custom_equal) {
        resolved.hash = [](const State& s) { return std::hash<State>{}(s); };
      }
    }
    // A hash that agrees with any equality: correct, but every state collides.
    if (!resolved.hash) resolved.hash = [](const State&) { return std::size_t{0}; };
  }
  if (!resolved.describe_operation) {
    resolved.describe_operation = [](const Input&, const Output&) { return std::string("op"); };
  }
  if (!resolved.describe_state) {
    resolved.describe_state = [](const State&) { return std::string("state"); };
  }
  if (!resolved.describe_partition) {
    resolved.describe_partition = [](const Input&) { return std::string(); };
  }
  return resolved;
}

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_MODEL_H_
