#include "task_table.h"

namespace mr {

TaskTable::TaskTable(int count, Clock::duration timeout)
    : timeout_(timeout), tasks_(static_cast<std::size_t>(count)), unfinished_(count) {}

std::optional<int> TaskTable::Assign(Clock::time_point now) {
  std::optional<int> late;  // a timed-out running task, used only if no task is idle
  for (int i = 0; i < size(); ++i) {
    Task& task = tasks_[static_cast<std::size_t>(i)];
    if (task.status == Status::kIdle) {
      task = {Status::kRunning, now};
      return i;
    }
    if (task.status == Status::kRunning && now - task.assigned >= timeout_ && !late) late = i;
  }
  if (late) tasks_[static_cast<std::size_t>(*late)].assigned = now;
  return late;
}

bool TaskTable::Finish(int task) {
  if (task < 0 || task >= size()) return false;
  Task& t = tasks_[static_cast<std::size_t>(task)];
  if (t.status != Status::kDone) {
    t.status = Status::kDone;
    --unfinished_;
  }
  return true;
}

}  // namespace mr
