#include "grading/linearizability/search.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>

#include "grading/linearizability/memo_cache.h"

namespace lab::linearizability::detail {

namespace {

// The time-ordered list of call and return events, as arrays. Node 0 is the sentinel head;
// nodes 1..2n are events. Lifting an operation unlinks its two nodes but keeps their own
// links, so Unlift can put them back in O(1) (the "dancing links" trick); lifts and unlifts
// happen in stack order, which is what makes that valid.
class EventList {
 public:
  static constexpr int kEnd = -1;

  explicit EventList(const SearchProblem& problem) {
    const int n = static_cast<int>(problem.call_times.size());
    struct Event {
      std::int64_t time;
      int kind;  // 0 = call, 1 = return: calls sort first on equal times
      int op;
    };
    std::vector<Event> events;
    events.reserve(2 * n);
    for (int op = 0; op < n; ++op) {
      events.push_back({problem.call_times[op], 0, op});
      events.push_back({problem.return_times[op], 1, op});
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      return std::tie(a.time, a.kind, a.op) < std::tie(b.time, b.kind, b.op);
    });
    const int nodes = 2 * n + 1;
    next_.resize(nodes);
    prev_.resize(nodes);
    op_.assign(nodes, -1);
    is_call_.assign(nodes, false);
    match_.assign(nodes, -1);
    std::vector<int> call_node(n);
    for (int i = 0; i < nodes; ++i) {
      prev_[i] = i - 1;
      next_[i] = i + 1 < nodes ? i + 1 : kEnd;
    }
    for (int i = 0; i < 2 * n; ++i) {
      const int node = i + 1;
      op_[node] = events[i].op;
      is_call_[node] = events[i].kind == 0;
      if (is_call_[node]) {
        call_node[events[i].op] = node;
      } else {
        match_[call_node[events[i].op]] = node;
      }
    }
  }

  int First() const { return next_[0]; }
  int Next(int node) const { return next_[node]; }
  bool Empty() const { return next_[0] == kEnd; }
  bool IsCall(int node) const { return is_call_[node]; }
  int Op(int node) const { return op_[node]; }

  // Unlinks a call node and its return node.
  void Lift(int call) {
    Unlink(call);
    Unlink(match_[call]);
  }
  // Undoes the matching Lift. REQUIRES: no Lift since then that was not undone.
  void Unlift(int call) {
    Relink(match_[call]);
    Relink(call);
  }

 private:
  void Unlink(int node) {
    next_[prev_[node]] = next_[node];
    if (next_[node] != kEnd) prev_[next_[node]] = prev_[node];
  }
  void Relink(int node) {
    next_[prev_[node]] = node;
    if (next_[node] != kEnd) prev_[next_[node]] = node;
  }

  std::vector<int> next_;
  std::vector<int> prev_;
  std::vector<int> op_;
  std::vector<bool> is_call_;
  std::vector<int> match_;  // call node -> its return node
};

struct StackFrame {
  int call_node;
  int state_before;
  // Linearized by the read-only rule (search.h): no other choice at this level needs trying.
  bool forced;
};

// Verbose mode: remembers, for each operation, the longest linearizable prefix that
// contained it. A prefix is the stack at a backtrack (or at success).
// To avoid an O(depth) scan at every backtrack, min_longest_[k] keeps the smallest
// recorded length among the operations in stack slots 0..k: when it is at least the current
// depth, no operation on the stack can improve and nothing needs recording.
class PrefixRecorder {
 public:
  explicit PrefixRecorder(int op_count, SearchResult& result)
      : longest_length_(op_count, 0), result_(result) {
    result_.longest_prefix.assign(op_count, -1);
  }

  void OnPush(int op) {
    const int below = min_longest_.empty() ? std::numeric_limits<int>::max() : min_longest_.back();
    min_longest_.push_back(std::min(below, longest_length_[op]));
  }
  void OnPop() { min_longest_.pop_back(); }

  // Records the current stack as a prefix for every operation it improves.
  void Record(const std::vector<StackFrame>& stack, const EventList& list) {
    const int depth = static_cast<int>(stack.size());
    if (depth == 0 || min_longest_.back() >= depth) return;
    const int index = static_cast<int>(result_.prefixes.size());
    std::vector<int>& prefix = result_.prefixes.emplace_back();
    prefix.reserve(depth);
    int running_min = std::numeric_limits<int>::max();
    for (int k = 0; k < depth; ++k) {
      const int op = list.Op(stack[k].call_node);
      prefix.push_back(op);
      if (longest_length_[op] < depth) {
        longest_length_[op] = depth;
        result_.longest_prefix[op] = index;
      }
      running_min = std::min(running_min, longest_length_[op]);
      min_longest_[k] = running_min;
    }
  }

 private:
  std::vector<int> longest_length_;  // per op: length of longest_prefix[op], 0 if none
  std::vector<int> min_longest_;     // Invariant: one entry per stack frame
  SearchResult& result_;
};

// The search state and its moves; Search() below drives it.
class Searcher {
 public:
  Searcher(const SearchProblem& problem, bool verbose, SearchResult& result)
      : problem_(problem),
        verbose_(verbose),
        result_(result),
        list_(problem),
        linearized_(static_cast<int>(problem.call_times.size())),
        recorder_(static_cast<int>(problem.call_times.size()), result) {
    stack_.reserve(problem.call_times.size());
  }

  const EventList& list() const { return list_; }
  const std::vector<StackFrame>& stack() const { return stack_; }
  std::size_t cache_size() const { return cache_.size(); }

  // Applies the operation of call node `node` if that reaches a new (set, state); returns
  // whether it did (the node and its return are then lifted from the list).
  bool TryLinearize(int node, bool forced) {
    const int op = list_.Op(node);
    ++result_.steps;
    const int next_state = problem_.step(state_, op);
    if (next_state == kIllegalStep) return false;
    linearized_.Set(op);
    if (!cache_.Insert(linearized_, next_state)) {
      linearized_.Clear(op);  // seen before, and it led nowhere
      return false;
    }
    stack_.push_back({node, state_, forced});
    if (verbose_) recorder_.OnPush(op);
    state_ = next_state;
    list_.Lift(node);
    return true;
  }

  // The read-only rule: finds a read-only operation among the candidates (call events
  // before the first return event) that is legal now. Returns its node, or kEnd.
  int LegalReadOnlyCandidate() {
    if (problem_.read_only.empty()) return EventList::kEnd;
    for (int node = list_.First(); node != EventList::kEnd && list_.IsCall(node);
         node = list_.Next(node)) {
      const int op = list_.Op(node);
      if (!problem_.read_only[op]) continue;
      ++result_.steps;
      if (problem_.step(state_, op) != kIllegalStep) return node;
    }
    return EventList::kEnd;
  }

  // The current prefix cannot be completed: undo the last choice that was a real choice
  // (popping forced frames on the way) and return the node to try next, or kEnd if the
  // whole search failed.
  int Backtrack() {
    ++result_.backtracks;
    if (verbose_) recorder_.Record(stack_, list_);
    while (!stack_.empty()) {
      const StackFrame top = stack_.back();
      stack_.pop_back();
      if (verbose_) recorder_.OnPop();
      state_ = top.state_before;
      linearized_.Clear(list_.Op(top.call_node));
      list_.Unlift(top.call_node);
      if (!top.forced) return list_.Next(top.call_node);
    }
    return EventList::kEnd;
  }

 private:
  const SearchProblem& problem_;
  const bool verbose_;
  SearchResult& result_;
  EventList list_;
  LinearizedSet linearized_;
  MemoCache cache_;
  std::vector<StackFrame> stack_;
  PrefixRecorder recorder_;
  int state_ = 0;
};

}  // namespace

SearchResult Search(const SearchProblem& problem, bool verbose, const std::atomic<bool>& stop) {
  const std::size_t n = problem.call_times.size();
  if (problem.return_times.size() != n ||
      (!problem.read_only.empty() && problem.read_only.size() != n)) {
    throw std::invalid_argument("search problem: per-operation vectors differ in length");
  }
  SearchResult result;
  Searcher searcher(problem, verbose, result);
  const EventList& list = searcher.list();
  bool at_front = true;
  int node = list.First();

  while (!list.Empty()) {
    if (stop.load(std::memory_order_relaxed)) {
      result.outcome = SearchOutcome::kStopped;
      return result;
    }
    if (at_front) {
      at_front = false;
      const int read = searcher.LegalReadOnlyCandidate();
      if (read != EventList::kEnd) {
        // If any order completes the current prefix, one with this read next does.
        if (!searcher.TryLinearize(read, /*forced=*/true)) {
          node = searcher.Backtrack();  // already explored from here: the prefix fails
          if (node == EventList::kEnd) break;
          continue;
        }
        node = list.First();
        at_front = true;
        continue;
      }
    }
    if (list.IsCall(node)) {
      if (searcher.TryLinearize(node, /*forced=*/false)) {
        node = list.First();
        at_front = true;
      } else {
        node = list.Next(node);
      }
    } else {
      // The return of an operation not yet linearized: the prefix cannot be extended.
      node = searcher.Backtrack();
      if (node == EventList::kEnd) break;
    }
  }
  result.cache_entries = searcher.cache_size();
  if (!list.Empty()) {
    result.outcome = SearchOutcome::kNotLinearizable;
    return result;
  }
  // Success: the stack is a full linearization. Always recorded (cheap, and the
  // visualization and tests use it).
  if (!verbose) result.longest_prefix.assign(n, -1);
  std::vector<int>& order = result.prefixes.emplace_back();
  for (const StackFrame& frame : searcher.stack()) order.push_back(list.Op(frame.call_node));
  const int index = static_cast<int>(result.prefixes.size()) - 1;
  for (int op : order) result.longest_prefix[op] = index;
  result.outcome = SearchOutcome::kLinearizable;
  return result;
}

}  // namespace lab::linearizability::detail
