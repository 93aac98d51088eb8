// The key/value model: the sequential specification of the kvraft and shardkv services.
//
//   get(key)               -> the current value ("" when the key was never written)
//   put(key, value)        value replaces the current one
//   append(key, value)     value is added to the end (a missing key acts as "")
//   get_and_append(key, v) like append, and returns the value before the append
//                          (the 2024 lab's append with a return value)
//
// Operations on different keys never interact, so the model partitions a history by key and
// the checker handles each key on its own (P-compositionality). Within one partition the
// state is the value of that single key, held as a KvValue (kv_value.h) so that appends do
// not copy it; KvStep states the same semantics on plain strings.
#ifndef GRADING_LINEARIZABILITY_KV_MODEL_H_
#define GRADING_LINEARIZABILITY_KV_MODEL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grading/linearizability/kv_value.h"
#include "grading/linearizability/model.h"

namespace lab::linearizability {

// Numbered as the Go lab's KvInput.Op (0 get, 1 put, 2 append, 3 append with old value).
enum class KvOp { kGet = 0, kPut = 1, kAppend = 2, kGetAndAppend = 3 };

// "get", "put", "append", "get_and_append": the names used in history files.
const char* KvOpName(KvOp op);
// The inverse of KvOpName; nullopt for an unknown name.
std::optional<KvOp> KvOpFromName(std::string_view name);

struct KvInput {
  KvOp op = KvOp::kGet;
  std::string key;
  std::string value;  // put/append/get_and_append: the argument; get: unused ("")
};

struct KvOutput {
  std::string value;  // get/get_and_append: the value returned; put/append: unused ("")
};

using KvState = std::string;  // a key's value, for KvStep
using KvOperation = Operation<KvInput, KvOutput>;
using KvModelType = Model<KvValue, KvInput, KvOutput>;

// The model itself (all fields set). Partitions come out in sorted key order.
KvModelType KvModel();

// The sequential semantics on plain strings, for tests and generators: the state after
// `input`, or nullopt when `output` is impossible from `state`.
std::optional<KvState> KvStep(const KvState& state, const KvInput& input, const KvOutput& output);
// The same semantics on KvValue (what KvModel().step does).
std::optional<KvValue> KvValueStep(const KvValue& state, const KvInput& input,
                                   const KvOutput& output);

// "get('k') -> 'v'", "put('k', 'v')", "append('k', 'v')", "get_and_append('k', 'v') -> 'old'".
std::string DescribeKvOperation(const KvInput& input, const KvOutput& output);

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_KV_MODEL_H_
