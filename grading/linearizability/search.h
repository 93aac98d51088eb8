// The search for a linearization of one partition (Wing & Gong, with Lowe's just-in-time
// linearization and memoization). Type-erased: operations are numbers 0..n-1 and states are
// numbers chosen by the caller, so this file holds no template code. checker.h builds the
// problems from a Model and runs them in parallel.
//
// How it works. The call and return events of all operations are put in time order in a
// doubly linked list (ties: calls before returns, so an operation that returns at the very
// moment another is called counts as concurrent with it). Walking the list from the front:
//   - at a call event, the operation may take effect now: if `step` accepts it from the
//     current state and the pair (linearized set + this operation, next state) has not been
//     seen before, record it, push it on the stack, remove ("lift") its call and return
//     events from the list, and start again from the front;
//   - at a return event, that operation should already have taken effect but has not, so the
//     current prefix cannot be extended: pop the last linearized operation, put its events
//     back, and try the next candidate after it. An empty stack here means no order works.
// An empty list means every operation was linearized: the stack is a linearization.
//
// The read-only rule (ours; it is not in Porcupine). A read-only operation never changes the
// state (a key/value get). If one is among the candidates and legal in the current state,
// then whenever some order completes the current prefix, an order with that read next does
// too: every operation that must precede it is already in the prefix (its return would
// otherwise come first in the list), and moving a read that did not change the state to the
// front changes no other operation's state. So at each restart the search takes such a read
// first and tries no alternative at that level; if the prefix with the read fails, the
// prefix without it fails as well, and backtracking continues below it. The rule never adds
// search steps beyond one scan of the candidates per restart; on the benchmark's histories
// it saves a few percent (the hard cases are concurrent appends, not reads).
#ifndef GRADING_LINEARIZABILITY_SEARCH_H_
#define GRADING_LINEARIZABILITY_SEARCH_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace lab::linearizability::detail {

inline constexpr int kIllegalStep = -1;

struct SearchProblem {
  // Call and return time of operation i. Numbering operations in call order keeps the memo
  // cache's entries small (memo_cache.h).
  std::vector<std::int64_t> call_times;
  std::vector<std::int64_t> return_times;
  // The id of the state after applying operation `op` in the state with id `state`, or
  // kIllegalStep. Ids are dense, equal states have equal ids; the initial state is id 0.
  std::function<int(int state, int op)> step;
  // Optional (empty = no operation is read-only). read_only[op]: op never changes the state,
  // i.e. whenever step accepts it, it returns the state it was given.
  std::vector<bool> read_only;
};

enum class SearchOutcome { kLinearizable, kNotLinearizable, kStopped };

struct SearchResult {
  SearchOutcome outcome = SearchOutcome::kStopped;
  // Filled only in verbose mode (and always, for kLinearizable, with the full linearization).
  // Linearizable prefixes seen during the search, each a list of operations in
  // linearization order; longest_prefix[op] is the index of the longest one that contains
  // op, or -1 if op was never linearized.
  std::vector<std::vector<int>> prefixes;
  std::vector<int> longest_prefix;
  // Statistics, for the CLI and the benchmark.
  std::uint64_t steps = 0;
  std::uint64_t backtracks = 0;
  std::uint64_t cache_entries = 0;
};

// Runs the search. Returns kStopped as soon as `stop` becomes true (checked on every
// iteration). `verbose` records prefixes at every backtrack (slower on illegal histories).
SearchResult Search(const SearchProblem& problem, bool verbose, const std::atomic<bool>& stop);

}  // namespace lab::linearizability::detail

#endif  // GRADING_LINEARIZABILITY_SEARCH_H_
