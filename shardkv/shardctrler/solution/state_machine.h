// Lab 4A reference: the replicated state of the controller, free of Raft, tasks and locks:
// the history of configurations and the duplicate table. Every replica feeds it the same
// committed Ops in the same order, so every replica holds the same history.
//
// Exactly once: the duplicate table remembers, per Clerk, the highest sequence number whose
// Join, Leave or Move was executed; a request with seq <= that number is a retry of one
// already executed, and is acknowledged without adding a configuration. Queries change
// nothing and always run.
#ifndef SHARDCTRLER_SOLUTION_STATE_MACHINE_H_
#define SHARDCTRLER_SOLUTION_STATE_MACHINE_H_

#include <cstdint>
#include <map>
#include <vector>

#include "common.h"
#include "op.h"

namespace shardctrler {

class StateMachine {
 public:
  // What an Op returns to its Clerk.
  struct Result {
    Err err = kOK;  // kOK, or why the request was rejected (config_rules.h)
    Config config;  // a Query's configuration
  };

  StateMachine();  // configuration 0 only

  Result Apply(const Op& op);

  const Config& Latest() const { return configs_.back(); }
  const std::vector<Config>& configs() const { return configs_; }

 private:
  std::vector<Config> configs_;                          // configs_[i].num == i
  std::map<std::int64_t, std::int64_t> last_write_seq_;  // client id -> highest executed seq
};

}  // namespace shardctrler

#endif  // SHARDCTRLER_SOLUTION_STATE_MACHINE_H_
