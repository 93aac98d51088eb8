#include "labrpc/check.h"

#include <cstdio>
#include <cstdlib>

#include "labrpc/runtime/runtime.h"

namespace lab::detail {

void CheckFailed(const char* file, int line, const char* condition, const std::string& message) {
  std::string where;
  if (InRun()) {
    where = fmt::format(" [virtual time {:.3f} s, task '{}', group '{}']", seconds_since_start(),
                        CurrentTaskName(), CurrentGroupName());
  }
  std::fprintf(stderr, "\nLAB_CHECK failed at %s:%d%s\n  condition: %s\n  %s\n", file, line,
               where.c_str(), condition, message.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace lab::detail
