#include "grading/linearizability/testing/random_history.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace lab::linearizability::testing {

namespace {

std::int64_t Uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

KvOp RandomOp(const RandomHistoryOptions& o, std::mt19937_64& rng) {
  const int total = o.get_weight + o.put_weight + o.append_weight + o.get_and_append_weight;
  if (total <= 0) throw std::invalid_argument("random history: operation weights sum to 0");
  int r = static_cast<int>(Uniform(rng, 0, total - 1));
  if ((r -= o.get_weight) < 0) return KvOp::kGet;
  if ((r -= o.put_weight) < 0) return KvOp::kPut;
  if ((r -= o.append_weight) < 0) return KvOp::kAppend;
  return KvOp::kGetAndAppend;
}

std::string Token(int client, std::size_t op) {
  return "x " + std::to_string(client) + " " + std::to_string(op) + " y";
}

}  // namespace

std::vector<std::size_t> TokensOf(const std::string& value) {
  std::vector<std::size_t> ops;
  std::size_t at = 0;
  while ((at = value.find("x ", at)) != std::string::npos) {
    const std::size_t client_end = value.find(' ', at + 2);
    const std::size_t op_end = value.find(" y", client_end + 1);
    if (client_end == std::string::npos || op_end == std::string::npos) break;
    ops.push_back(std::stoull(value.substr(client_end + 1, op_end - client_end - 1)));
    at = op_end + 2;
  }
  return ops;
}

GeneratedHistory RandomLegalHistory(const RandomHistoryOptions& o, std::mt19937_64& rng) {
  if (o.clients < 1 || o.keys < 1 || o.operations < 0 || o.duration_max < 1 || o.gap_max < 1) {
    throw std::invalid_argument("random history: clients, keys, durations and gaps must be >= 1");
  }
  GeneratedHistory out;
  out.operations.resize(o.operations);
  std::vector<std::int64_t> point(o.operations);  // linearization point of each operation
  std::vector<std::int64_t> next_call(o.clients);
  for (auto& t : next_call) t = Uniform(rng, 0, o.gap_max);
  for (int i = 0; i < o.operations; ++i) {
    KvOperation& op = out.operations[i];
    op.client_id = i % o.clients;
    op.input.op = RandomOp(o, rng);
    op.input.key = std::to_string(Uniform(rng, 0, o.keys - 1));
    if (op.input.op != KvOp::kGet) op.input.value = Token(op.client_id, i);
    op.call = next_call[op.client_id];
    op.return_time = op.call + Uniform(rng, 1, o.duration_max);
    point[i] = Uniform(rng, op.call, op.return_time);
    next_call[op.client_id] = op.return_time + Uniform(rng, 1, o.gap_max);
  }
  // Apply in linearization-point order to a sequential store.
  std::vector<std::size_t> order(o.operations);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(point[a], a) < std::tie(point[b], b);
  });
  std::map<std::string, KvState> store;
  out.state_before.resize(o.operations);
  for (std::size_t i : order) {
    KvOperation& op = out.operations[i];
    KvState& value = store[op.input.key];
    out.state_before[i] = value;
    if (op.input.op == KvOp::kGet || op.input.op == KvOp::kGetAndAppend) op.output.value = value;
    value = *KvStep(value, op.input, op.output);
  }
  return out;
}

const char* CorruptionName(Corruption corruption) {
  switch (corruption) {
    case Corruption::kStaleRead:
      return "stale read";
    case Corruption::kLostAppend:
      return "lost append";
    case Corruption::kImpossibleValue:
      return "impossible value";
  }
  return "?";
}

namespace {

// Every write contained in `value` returned before time `t`.
bool AllTokensReturnedBefore(const GeneratedHistory& h, const std::string& value, std::int64_t t) {
  for (std::size_t op : TokensOf(value)) {
    if (h.operations[op].return_time >= t) return false;
  }
  return true;
}

// A new output for get `g` per the corruption, or false if `g` is not a suitable place.
bool CorruptedOutput(const GeneratedHistory& h, std::size_t g, Corruption corruption,
                     std::mt19937_64& rng, std::string* output) {
  const KvOperation& get = h.operations[g];
  if (corruption == Corruption::kImpossibleValue) {
    *output = "impossible";  // values are "" or start with "x "
    return true;
  }
  std::vector<std::string> choices;
  for (std::size_t w = 0; w < h.operations.size(); ++w) {
    const KvOperation& write = h.operations[w];
    if (write.input.key != get.input.key || write.return_time >= get.call) continue;
    if (corruption == Corruption::kStaleRead && write.input.op == KvOp::kPut &&
        h.state_before[w] != get.output.value &&
        AllTokensReturnedBefore(h, h.state_before[w], write.call)) {
      choices.push_back(h.state_before[w]);
    }
    if (corruption == Corruption::kLostAppend && write.input.op != KvOp::kPut &&
        write.input.op != KvOp::kGet) {
      const std::vector<std::size_t> tokens = TokensOf(get.output.value);
      if (std::find(tokens.begin(), tokens.end(), w) == tokens.end()) continue;
      const std::size_t base = tokens.front();
      if (h.operations[base].input.op == KvOp::kPut && base != w &&
          h.operations[base].return_time >= write.call) {
        continue;  // the put could be ordered after the append
      }
      std::string lost = get.output.value;
      lost.erase(lost.find(write.input.value), write.input.value.size());
      choices.push_back(lost);
    }
  }
  if (choices.empty()) return false;
  *output = choices[Uniform(rng, 0, static_cast<std::int64_t>(choices.size()) - 1)];
  return true;
}

}  // namespace

int Corrupt(GeneratedHistory& h, Corruption corruption, std::mt19937_64& rng) {
  std::vector<std::size_t> gets;
  for (std::size_t i = 0; i < h.operations.size(); ++i) {
    if (h.operations[i].input.op == KvOp::kGet) gets.push_back(i);
  }
  std::shuffle(gets.begin(), gets.end(), rng);
  for (std::size_t g : gets) {
    std::string output;
    if (CorruptedOutput(h, g, corruption, rng, &output)) {
      h.operations[g].output.value = output;
      return static_cast<int>(g);
    }
  }
  return -1;
}

}  // namespace lab::linearizability::testing
