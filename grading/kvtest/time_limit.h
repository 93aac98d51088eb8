// The 120 s limit of every key/value test (config.go's checkTimeout), enforced while the test
// runs: a test still running when the limit passes fails at once, wherever it is (even with
// every clerk stuck in a server that never answers), with a dump of what each task was doing.
//
// Framework file: grading uses the original. Edit it only to debug.
#ifndef GRADING_KVTEST_TIME_LIMIT_H_
#define GRADING_KVTEST_TIME_LIMIT_H_

#include <chrono>
#include <memory>

#include "labrpc/labrpc.h"

namespace kvtest {

inline constexpr std::chrono::seconds kTestTimeLimit{120};

class TimeLimit {
 public:
  // What the failure says about the likely cause, by default a kvraft handler's.
  static constexpr const char* kHandlerHint =
      "a handler that waits for an operation that will never commit, for example after this "
      "server lost its leadership, must stop waiting and answer ErrWrongLeader";

  // Starts counting now (the run's clock). `hint` ends the failure, in parentheses.
  explicit TimeLimit(std::chrono::seconds limit = kTestTimeLimit, const char* hint = kHandlerHint);
  ~TimeLimit();  // stops the watchdog
  TimeLimit(const TimeLimit&) = delete;
  TimeLimit& operator=(const TimeLimit&) = delete;

  // Fails the run if the limit has passed (End() calls it, as the original does).
  void Check() const;

 private:
  const std::chrono::seconds limit_;
  const lab::TimePoint start_;
  std::shared_ptr<lab::Group> watchdog_;
};

}  // namespace kvtest

#endif  // GRADING_KVTEST_TIME_LIMIT_H_
