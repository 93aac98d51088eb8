// Test helper: runs this test binary again as a child process (to check reports that end
// the process: busy loops, stack overflows, hangs during unwinding).
#ifndef LABRPC_TESTS_SUBPROCESS_H_
#define LABRPC_TESTS_SUBPROCESS_H_

#include <string>
#include <vector>

namespace lab::testing {

struct ChildResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string output;  // stdout and stderr together
};

// Runs /proc/self/exe with `args` (and argv[0] the binary's path), waits at most 60 s (then
// kills it).
ChildResult RunSelf(const std::vector<std::string>& args);

}  // namespace lab::testing

#endif  // LABRPC_TESTS_SUBPROCESS_H_
