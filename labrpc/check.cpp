#include "labrpc/check.h"

#include <cstdio>
#include <cstdlib>

#include "labrpc/runtime/backend.h"
#include "labrpc/runtime/runtime.h"

namespace lab::detail {

void CheckFailed(const char* file, int line, const char* condition, const std::string& message) {
  std::string where;
  if (InRun()) {
    const RunOptions& run = CurrentBackend()->options();
    where = fmt::format(" [{} time {:.3f} s, task '{}', group '{}', seed {}]",
                        CurrentBackend()->simulated() ? "virtual" : "real", seconds_since_start(),
                        CurrentTaskName(), CurrentGroupName(), run.seed);
    if (!run.replay_command.empty()) where += "\n  replay with: " + run.replay_command;
  }
  std::fprintf(stderr, "\nLAB_CHECK failed at %s:%d%s\n  condition: %s\n  %s\n", file, line,
               where.c_str(), condition, message.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace lab::detail
