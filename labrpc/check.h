// LAB_CHECK: the framework's always-on assertion, for bugs in framework code.
//
// Expected conditions (a lost RPC, malformed bytes, a student bug that a test should catch)
// are reported as values or test failures, never with LAB_CHECK. A failed check prints the
// condition, the message, and (inside a run) the virtual time, the task, its group and the
// seed, then aborts: the framework cannot continue safely.
#ifndef LABRPC_CHECK_H_
#define LABRPC_CHECK_H_

#include <string>

#include <fmt/format.h>

namespace lab::detail {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              const std::string& message);
}  // namespace lab::detail

#define LAB_CHECK(cond, ...)                                                             \
  do {                                                                                   \
    if (!(cond)) [[unlikely]] {                                                          \
      ::lab::detail::CheckFailed(__FILE__, __LINE__, #cond, ::fmt::format(__VA_ARGS__)); \
    }                                                                                    \
  } while (0)

#endif  // LABRPC_CHECK_H_
