// Internal: the busy-loop watchdog. A simulated task runs until it blocks; one that loops
// without ever blocking would hang the whole run. A background OS thread (which never touches
// the simulation) notices when the same task has been running for longer than the run's
// bound in real seconds, prints its name, the seed and the replay command, and ends the
// process with exit code 70.
#ifndef LABRPC_RUNTIME_WATCHDOG_H_
#define LABRPC_RUNTIME_WATCHDOG_H_

#include <cstdint>
#include <string>

namespace lab::detail {

class Watchdog {
 public:
  static void RunStarted(std::uint64_t seed, double busy_loop_seconds, const std::string& replay);
  static void RunEnded();
  // Hot path (every switch): two relaxed atomic stores.
  static void TaskStarted(const char* task_name);
  static void TaskStopped();
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_WATCHDOG_H_
