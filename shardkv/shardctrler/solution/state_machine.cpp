// Lab 4A reference: the replicated state. The contract is in state_machine.h.
#include "state_machine.h"

#include <string>

#include "config_rules.h"

namespace shardctrler {

StateMachine::StateMachine() : configs_(1) {}

StateMachine::Result StateMachine::Apply(const Op& op) {
  Result result;
  if (op.type == "Query") {
    const int latest = static_cast<int>(configs_.size()) - 1;
    result.config = configs_[op.num < 0 || op.num > latest ? latest : op.num];
    return result;
  }
  auto [last, added] = last_write_seq_.try_emplace(op.client_id, 0);
  if (op.seq <= last->second) return result;  // a retry of an executed request
  last->second = op.seq;

  std::string invalid;
  if (op.type == "Join") {
    invalid = InvalidJoin(op.servers);
    if (invalid.empty()) configs_.push_back(AfterJoin(Latest(), op.servers));
  } else if (op.type == "Leave") {
    configs_.push_back(AfterLeave(Latest(), op.gids));
  } else if (op.type == "Move") {
    invalid = InvalidMove(Latest(), op.shard, op.gid);
    if (invalid.empty()) configs_.push_back(AfterMove(Latest(), op.shard, op.gid));
  } else {
    invalid = "unknown operation \"" + op.type + "\"";
  }
  if (!invalid.empty()) result.err = "ErrInvalid: " + invalid;
  return result;
}

}  // namespace shardctrler
