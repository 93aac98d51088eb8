// Lab 1 reference solution: the bookkeeping of one phase's tasks (all map tasks, or all reduce
// tasks). Pure decisions on plain values: time comes in as an argument, nothing blocks.
//
// Thread safety: none; the coordinator calls it under its mutex.
#ifndef MAPREDUCE_SOLUTION_TASK_TABLE_H_
#define MAPREDUCE_SOLUTION_TASK_TABLE_H_

#include <chrono>
#include <optional>
#include <vector>

namespace mr {

class TaskTable {
 public:
  using Clock = std::chrono::steady_clock;

  // `count` tasks, all idle. A running task whose worker has been silent for `timeout` is
  // presumed lost (the worker crashed or stalled) and may be assigned again.
  TaskTable(int count, Clock::duration timeout);

  // Picks an idle task, or else a running one that has timed out, marks it running since
  // `now` and returns its number; nullopt when every task is finished or running in time.
  std::optional<int> Assign(Clock::time_point now);

  // Records that `task` finished. Returns false if there is no such task. A repeated report
  // (a presumed-lost worker that finished after all) changes nothing: its output file is the
  // same, and it was renamed into place whole.
  bool Finish(int task);

  bool AllDone() const { return unfinished_ == 0; }
  int size() const { return static_cast<int>(tasks_.size()); }

 private:
  enum class Status { kIdle, kRunning, kDone };
  struct Task {
    Status status = Status::kIdle;
    Clock::time_point assigned;  // meaningful while kRunning
  };

  const Clock::duration timeout_;
  std::vector<Task> tasks_;
  // Invariant: unfinished_ == number of tasks whose status is not kDone.
  int unfinished_;
};

}  // namespace mr

#endif  // MAPREDUCE_SOLUTION_TASK_TABLE_H_
