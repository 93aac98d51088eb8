// The time limit of a key/value test. The contract is in time_limit.h.
#include "grading/kvtest/time_limit.h"

#include <fmt/format.h>

namespace kvtest {

TimeLimit::TimeLimit(std::chrono::seconds limit, const char* hint)
    : limit_(limit), start_(lab::now()), watchdog_(lab::Group::Create("tester-watchdog")) {
  watchdog_->Go("time-limit", [limit, hint] {
    lab::sleep_for(limit);
    lab::Fatal(fmt::format("test took longer than {} seconds; the tasks at that moment:\n{}\n({})",
                           limit.count(), lab::DescribeTasks(), hint));
  });
}

TimeLimit::~TimeLimit() {
  watchdog_->Cancel();
  lab::WaitEvenIfCancelled(*watchdog_);
}

void TimeLimit::Check() const {
  if (lab::now() - start_ > limit_) {
    lab::Fatal(fmt::format("test took longer than {} seconds", limit_.count()));
  }
}

}  // namespace kvtest
