// Randomized tests. Seeds derive from lab::testing::CatchSeed() (the shared main's --seed), are
// printed, and appear in every failure message; rerun with --seed N to reproduce.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "grading/linearizability/checker.h"
#include "grading/linearizability/kv_model.h"
#include "grading/linearizability/testing/random_history.h"
#include "grading/linearizability/tests/test_util.h"
#include "labrpc/testing/catch.h"

namespace lab::linearizability {
namespace {

using testing::BruteForceChecker;
using testing::Corruption;
using testing::IsLinearizablePrefix;
using testing::RandomHistoryOptions;
using testing::RandomLegalHistory;

std::uint64_t BaseSeed(const char* test) {
  const std::uint64_t seed = lab::testing::CatchSeed();
  std::cout << test << ": seed " << seed << " (rerun with --seed " << seed << ")\n";
  return seed;
}

// Options within the range where the search is fast. The search is exponential in the
// number of concurrent writes to one key between two reads of it (as Porcupine's is), so
// at most 6 clients share the keys here; the many-clients test below spreads them over
// keys as the kvraft tests do.
RandomHistoryOptions RandomOptions(std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  RandomHistoryOptions o;
  o.clients = pick(1, 6);
  o.operations = pick(0, 400);
  o.keys = pick(1, 4);
  o.get_weight = pick(25, 50);
  o.put_weight = pick(0, 30);
  o.append_weight = pick(1, 40);
  o.get_and_append_weight = pick(0, 20);
  o.duration_max = pick(1, 100);
  o.gap_max = pick(10, 100);
  return o;
}

// Each key's first linearization must replay and respect real time.
void CheckWitness(const std::vector<KvOperation>& history, const LinearizationInfo& info) {
  for (const PartitionInfo& p : info.partitions) {
    REQUIRE_FALSE(p.partial_linearizations.empty());
    std::vector<KvOperation> sub;
    std::vector<std::size_t> order;
    for (std::size_t index : p.partial_linearizations[0]) {
      order.push_back(sub.size());
      sub.push_back(history[index]);
    }
    REQUIRE(order.size() == p.operations.size());
    REQUIRE(IsLinearizablePrefix(sub, order));
  }
}

TEST_CASE("Random legal-by-construction histories are Ok", "[linearizability][random]") {
  const std::uint64_t seed = BaseSeed("random legal");
  for (int round = 0; round < 150; ++round) {
    std::mt19937_64 rng(seed * 1000003 + round);
    const RandomHistoryOptions o = RandomOptions(rng);
    const auto generated = RandomLegalHistory(o, rng);
    INFO("seed " << seed << " round " << round << ": " << o.clients << " clients, " << o.operations
                 << " ops, " << o.keys << " keys");
    CheckOptions options;
    options.verbose = round % 2 == 0;
    options.threads = 1 + round % 3;
    const LinearizationInfo info = CheckOperationsVerbose(KvModel(), generated.operations, options);
    REQUIRE(info.result == CheckResult::kOk);
    CheckWitness(generated.operations, info);
  }
}

TEST_CASE("Corrupted random histories are Illegal", "[linearizability][random]") {
  const std::uint64_t seed = BaseSeed("random corrupted");
  int corrupted = 0;
  for (int round = 0; round < 150; ++round) {
    std::mt19937_64 rng(seed * 1000003 + round);
    RandomHistoryOptions o = RandomOptions(rng);
    o.operations = std::max(o.operations, 20);
    auto generated = RandomLegalHistory(o, rng);
    const auto corruption = static_cast<Corruption>(round % 3);
    const int changed = Corrupt(generated, corruption, rng);
    if (changed < 0) continue;  // no suitable get in this history
    ++corrupted;
    INFO("seed " << seed << " round " << round << ": " << CorruptionName(corruption)
                 << " at operation " << changed << "; " << o.clients << " clients, " << o.operations
                 << " ops, " << o.keys << " keys");
    CHECK(CheckOperationsTimeout(KvModel(), generated.operations, std::chrono::seconds(0)) ==
          CheckResult::kIllegal);
    CheckOptions options;
    options.verbose = true;
    const LinearizationInfo info = CheckOperationsVerbose(KvModel(), generated.operations, options);
    REQUIRE(info.result == CheckResult::kIllegal);
    // The corrupted read is in the illegal partition and is never linearized.
    const auto& key = generated.operations[changed].input.key;
    for (const PartitionInfo& p : info.partitions) {
      if (generated.operations[p.operations[0]].input.key != key) {
        CHECK(p.result == CheckResult::kOk);
        continue;
      }
      CHECK(p.result == CheckResult::kIllegal);
      CHECK(p.blocking_operation.has_value());
      const auto at = std::find(p.operations.begin(), p.operations.end(), std::size_t(changed));
      REQUIRE(at != p.operations.end());
      CHECK(p.largest[at - p.operations.begin()] == -1);
    }
  }
  CHECK(corrupted > 60);
}

TEST_CASE("Many clients spread over many keys, legal and corrupted", "[linearizability][random]") {
  const std::uint64_t seed = BaseSeed("many clients");
  for (int round = 0; round < 6; ++round) {
    std::mt19937_64 rng(seed * 1000003 + round);
    RandomHistoryOptions o;
    o.clients = 30;
    o.keys = 30;
    o.operations = 3000;
    auto generated = RandomLegalHistory(o, rng);
    INFO("seed " << seed << " round " << round);
    REQUIRE(CheckOperationsTimeout(KvModel(), generated.operations, std::chrono::seconds(0)) ==
            CheckResult::kOk);
    const auto corruption = static_cast<Corruption>(round % 3);
    REQUIRE(Corrupt(generated, corruption, rng) >= 0);
    INFO(CorruptionName(corruption));
    REQUIRE(CheckOperationsTimeout(KvModel(), generated.operations, std::chrono::seconds(0)) ==
            CheckResult::kIllegal);
  }
}

// Tiny histories with outputs drawn at random (about half of them illegal), checked against
// the brute-force checker, which tries every order without partitions or memoization.
std::vector<KvOperation> TinyRandomHistory(std::mt19937_64& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* keys[] = {"x", "y"};
  const char* values[] = {"a", "b"};
  const char* outputs[] = {"", "a", "b", "ab", "ba", "aa", "bb", "abb"};
  const int n = pick(1, 7);
  const int key_count = pick(1, 2);
  const int clients = pick(1, 4);
  std::vector<std::int64_t> free_at(clients, 0);
  std::vector<KvOperation> history;
  for (int i = 0; i < n; ++i) {
    KvOperation op;
    op.client_id = pick(0, clients - 1);
    op.input.op = static_cast<KvOp>(pick(0, 3));
    op.input.key = keys[pick(0, key_count - 1)];
    if (op.input.op != KvOp::kGet) op.input.value = values[pick(0, 1)];
    if (op.input.op == KvOp::kGet || op.input.op == KvOp::kGetAndAppend) {
      op.output.value = outputs[pick(0, 7)];
    }
    op.call = free_at[op.client_id] + pick(0, 6);
    op.return_time = op.call + pick(0, 8);
    free_at[op.client_id] = op.return_time + 1;
    history.push_back(op);
  }
  return history;
}

TEST_CASE("Agrees with a brute-force checker on tiny random histories",
          "[linearizability][random][differential]") {
  const std::uint64_t seed = BaseSeed("differential");
  std::mt19937_64 rng(seed);
  int legal = 0;
  int illegal = 0;
  for (int round = 0; round < 4000; ++round) {
    const auto history = TinyRandomHistory(rng);
    const bool expected = BruteForceChecker(history).Linearizable();
    INFO("seed " << seed << " round " << round << ", brute force says "
                 << (expected ? "linearizable" : "not linearizable"));
    CheckOptions options;
    options.verbose = round % 2 == 1;
    const LinearizationInfo info = CheckOperationsVerbose(KvModel(), history, options);
    REQUIRE((info.result == CheckResult::kOk) == expected);
    REQUIRE(info.result != CheckResult::kUnknown);
    (expected ? legal : illegal)++;
    if (!options.verbose) continue;
    // Every recorded prefix is linearizable and contains the operations that point to it.
    for (const PartitionInfo& p : info.partitions) {
      for (std::size_t i = 0; i < p.operations.size(); ++i) {
        if (p.largest[i] < 0) continue;
        const auto& prefix = p.partial_linearizations[p.largest[i]];
        REQUIRE(std::find(prefix.begin(), prefix.end(), p.operations[i]) != prefix.end());
        std::vector<KvOperation> sub;
        std::vector<std::size_t> order;
        for (std::size_t index : p.operations) sub.push_back(history[index]);
        for (std::size_t index : prefix) {
          order.push_back(std::find(p.operations.begin(), p.operations.end(), index) -
                          p.operations.begin());
        }
        REQUIRE(IsLinearizablePrefix(sub, order));
      }
    }
  }
  std::cout << "differential: " << legal << " linearizable, " << illegal << " not\n";
  CHECK(legal > 400);
  CHECK(illegal > 400);
}

}  // namespace
}  // namespace lab::linearizability
