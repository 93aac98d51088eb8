// Lab 3 reference: the replicated state machine. The contract is in state_machine.h.
#include "state_machine.h"

namespace kvraft {

std::string StateMachine::Apply(const Op& op) {
  if (op.type != "Get") {
    auto [it, added] = last_write_seq_.try_emplace(op.client_id, 0);
    if (op.seq > it->second) {
      it->second = op.seq;
      if (op.type == "Put") {
        data_[op.key] = op.value;
      } else {
        data_[op.key] += op.value;
      }
    }
  }
  auto it = data_.find(op.key);
  return it == data_.end() ? std::string() : it->second;
}

lab::Bytes StateMachine::Snapshot() const {
  lab::Encoder encoder;
  encoder.Put(data_).Put(last_write_seq_);
  return encoder.Finish();
}

void StateMachine::Restore(const lab::Bytes& snapshot) {
  lab::Decoder decoder(snapshot);
  auto data = decoder.Get<std::map<std::string, std::string>>();
  auto last_write_seq = decoder.Get<std::map<std::int64_t, std::int64_t>>();
  data_ = std::move(data);
  last_write_seq_ = std::move(last_write_seq);
}

}  // namespace kvraft
