#include "grading/linearizability/kv_model.h"

#include <cstddef>
#include <functional>
#include <map>
#include <utility>

namespace lab::linearizability {

const char* KvOpName(KvOp op) {
  switch (op) {
    case KvOp::kGet:
      return "get";
    case KvOp::kPut:
      return "put";
    case KvOp::kAppend:
      return "append";
    case KvOp::kGetAndAppend:
      return "get_and_append";
  }
  return "<invalid>";
}

std::optional<KvOp> KvOpFromName(std::string_view name) {
  for (KvOp op : {KvOp::kGet, KvOp::kPut, KvOp::kAppend, KvOp::kGetAndAppend}) {
    if (name == KvOpName(op)) return op;
  }
  return std::nullopt;
}

std::optional<KvState> KvStep(const KvState& state, const KvInput& input, const KvOutput& output) {
  switch (input.op) {
    case KvOp::kGet:
      // A read changes nothing and is legal only if it saw the current value.
      if (output.value != state) return std::nullopt;
      return state;
    case KvOp::kPut:
      return input.value;
    case KvOp::kAppend:
      return state + input.value;
    case KvOp::kGetAndAppend:
      if (output.value != state) return std::nullopt;
      return state + input.value;
  }
  return std::nullopt;
}

std::optional<KvValue> KvValueStep(const KvValue& state, const KvInput& input,
                                   const KvOutput& output) {
  switch (input.op) {
    case KvOp::kGet:
      if (!state.Equals(output.value)) return std::nullopt;
      return state;
    case KvOp::kPut:
      return KvValue::Put(input.value);
    case KvOp::kAppend:
      return state.Append(input.value);
    case KvOp::kGetAndAppend:
      if (!state.Equals(output.value)) return std::nullopt;
      return state.Append(input.value);
  }
  return std::nullopt;
}

std::string DescribeKvOperation(const KvInput& input, const KvOutput& output) {
  const std::string key = "'" + input.key + "'";
  const std::string value = "'" + input.value + "'";
  switch (input.op) {
    case KvOp::kGet:
      return "get(" + key + ") -> '" + output.value + "'";
    case KvOp::kPut:
      return "put(" + key + ", " + value + ")";
    case KvOp::kAppend:
      return "append(" + key + ", " + value + ")";
    case KvOp::kGetAndAppend:
      return "get_and_append(" + key + ", " + value + ") -> '" + output.value + "'";
  }
  return "<invalid>";
}

namespace {

// Groups operation indices by key; std::map gives the sorted key order.
std::vector<std::vector<std::size_t>> PartitionByKey(const std::vector<KvOperation>& history) {
  std::map<std::string_view, std::vector<std::size_t>> by_key;
  for (std::size_t i = 0; i < history.size(); ++i) {
    by_key[history[i].input.key].push_back(i);
  }
  std::vector<std::vector<std::size_t>> groups;
  groups.reserve(by_key.size());
  for (auto& [key, indices] : by_key) groups.push_back(std::move(indices));
  return groups;
}

}  // namespace

KvModelType KvModel() {
  KvModelType model;
  model.partition = PartitionByKey;
  model.init = [] { return KvValue(); };
  model.step = KvValueStep;
  model.equal = [](const KvValue& a, const KvValue& b) { return a == b; };
  model.hash = [](const KvValue& v) { return static_cast<std::size_t>(v.hash()); };
  model.is_read_only = [](const KvInput& input) { return input.op == KvOp::kGet; };
  model.describe_operation = DescribeKvOperation;
  model.describe_state = [](const KvValue& v) { return "'" + v.ToString() + "'"; };
  model.describe_partition = [](const KvInput& input) { return "key '" + input.key + "'"; };
  return model;
}

}  // namespace lab::linearizability
