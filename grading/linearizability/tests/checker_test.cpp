// Hand-written histories with known answers, the Unknown result on timeout, and the
// generic model interface.
#include "grading/linearizability/checker.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "grading/linearizability/kv_model.h"
#include "grading/linearizability/tests/test_util.h"
#include "labrpc/testing/catch.h"

namespace lab::linearizability {
namespace {

using testing::Append;
using testing::Get;
using testing::GetAndAppend;
using testing::IsLinearizablePrefix;
using testing::Put;

LinearizationInfo CheckVerbose(const std::vector<KvOperation>& history) {
  CheckOptions options;
  options.verbose = true;
  return CheckOperationsVerbose(KvModel(), history, options);
}

// Each row: a name, a history, and whether it is linearizable.
struct Case {
  const char* name;
  std::vector<KvOperation> history;
  bool linearizable;
};

std::vector<Case> HandWrittenCases() {
  return {
      {"empty history", {}, true},
      {"one get of a missing key", {Get(0, "x", "", 0, 10)}, true},
      {"sequential put then get", {Put(0, "x", "a", 0, 10), Get(0, "x", "a", 20, 30)}, true},
      {"get concurrent with put may see the old value",
       {Put(0, "x", "a", 0, 100), Get(1, "x", "", 10, 20)},
       true},
      {"get concurrent with put may see the new value",
       {Put(0, "x", "a", 0, 100), Get(1, "x", "a", 10, 20)},
       true},
      {"stale read: a get after a completed put sees the older value",
       {Put(0, "x", "1", 0, 10), Put(1, "x", "2", 20, 30), Get(2, "x", "1", 40, 50)},
       false},
      {"lost append: a get after two completed appends misses the first",
       {Append(0, "x", "a", 0, 10), Append(1, "x", "b", 20, 30), Get(2, "x", "b", 40, 50)},
       false},
      {"appends concurrent with each other may apply in either order",
       {Append(0, "x", "a", 0, 50), Append(1, "x", "b", 10, 60), Get(2, "x", "ba", 70, 80)},
       true},
      {"appends applied in an order their real-time order forbids",
       {Append(0, "x", "a", 0, 10), Append(1, "x", "b", 20, 30), Get(2, "x", "ba", 40, 50)},
       false},
      {"new-old inversion: a later read sees an older value than an earlier read",
       {Put(0, "x", "1", 0, 100), Get(1, "x", "1", 10, 20), Get(2, "x", "", 30, 40)},
       false},
      {"the same reads are fine when they overlap",
       {Put(0, "x", "1", 0, 100), Get(1, "x", "1", 10, 35), Get(2, "x", "", 30, 40)},
       true},
      {"a return and a call at the same instant count as concurrent",
       {Put(0, "x", "1", 0, 10), Get(1, "x", "", 10, 20)},
       true},
      {"one time unit later they do not",
       {Put(0, "x", "1", 0, 10), Get(1, "x", "", 11, 20)},
       false},
      {"get_and_append returns the value before its append",
       {Put(0, "x", "a", 0, 10), GetAndAppend(1, "x", "b", "a", 20, 30), Get(2, "x", "ab", 40, 50)},
       true},
      {"get_and_append returning its own effect is illegal",
       {Put(0, "x", "a", 0, 10), GetAndAppend(1, "x", "b", "ab", 20, 30)},
       false},
      {"two concurrent get_and_appends see each other in one order only",
       {GetAndAppend(0, "x", "a", "", 0, 100), GetAndAppend(1, "x", "b", "", 10, 90)},
       false},
      {"keys are independent: interleaved writes to two keys",
       {Put(0, "x", "1", 0, 10), Put(1, "y", "2", 5, 15), Get(2, "x", "1", 20, 30),
        Get(3, "y", "2", 20, 30)},
       true},
      {"a value written to one key is not visible under another",
       {Put(0, "x", "1", 0, 10), Get(1, "y", "1", 20, 30)},
       false},
      {"a read must wait for no one: reading a value written later is illegal",
       {Get(0, "x", "1", 0, 10), Put(1, "x", "1", 20, 30)},
       false},
  };
}

TEST_CASE("Hand-written histories get the expected verdict", "[linearizability][checker]") {
  for (const Case& c : HandWrittenCases()) {
    CAPTURE(c.name);
    const CheckResult expected = c.linearizable ? CheckResult::kOk : CheckResult::kIllegal;
    CHECK(CheckOperations(KvModel(), c.history) == c.linearizable);
    CHECK(CheckVerbose(c.history).result == expected);
    CHECK(testing::BruteForceChecker(c.history).Linearizable() == c.linearizable);
  }
}

TEST_CASE("An Ok result carries a valid linearization", "[linearizability][checker]") {
  for (const Case& c : HandWrittenCases()) {
    if (!c.linearizable || c.history.empty()) continue;
    CAPTURE(c.name);
    const LinearizationInfo info = CheckOperationsVerbose(KvModel(), c.history);
    std::vector<std::size_t> all;
    for (const PartitionInfo& p : info.partitions) {
      REQUIRE(p.result == CheckResult::kOk);
      REQUIRE_FALSE(p.partial_linearizations.empty());
      CHECK(p.partial_linearizations[0].size() == p.operations.size());
      all.insert(all.end(), p.partial_linearizations[0].begin(), p.partial_linearizations[0].end());
    }
    // Partitions are independent, so their linearizations concatenated, key by key, only
    // need each key's order to be valid; check each key separately.
    for (const PartitionInfo& p : info.partitions) {
      std::vector<KvOperation> sub;
      std::vector<std::size_t> order;
      for (std::size_t index : p.partial_linearizations[0]) {
        order.push_back(sub.size());
        sub.push_back(c.history[index]);
      }
      CHECK(IsLinearizablePrefix(sub, order));
    }
    CHECK(all.size() == c.history.size());
  }
}

TEST_CASE("Stale read: verbose info names the longest prefix and the blocking read",
          "[linearizability][checker]") {
  const std::vector<KvOperation> history = {Put(0, "x", "1", 0, 10), Put(1, "x", "2", 20, 30),
                                            Get(2, "x", "1", 40, 50)};
  const LinearizationInfo info = CheckVerbose(history);
  REQUIRE(info.result == CheckResult::kIllegal);
  REQUIRE(info.partitions.size() == 1);
  const PartitionInfo& p = info.partitions[0];
  CHECK(p.result == CheckResult::kIllegal);
  REQUIRE_FALSE(p.partial_linearizations.empty());
  CHECK(p.partial_linearizations[0] == std::vector<std::size_t>{0, 1});
  REQUIRE(p.blocking_operation.has_value());
  CHECK(*p.blocking_operation == 2);
  // The read was never part of any linearizable prefix.
  CHECK(p.largest[2] == -1);
  CHECK(p.largest[0] == 0);
  CHECK(p.largest[1] == 0);
}

TEST_CASE("Lost append: verbose prefixes are valid and contain their operation",
          "[linearizability][checker]") {
  const std::vector<KvOperation> history = {Append(0, "x", "a", 0, 10), Append(1, "x", "b", 20, 30),
                                            Append(2, "x", "c", 25, 45), Get(3, "x", "bc", 50, 60),
                                            Get(0, "x", "abc", 70, 80)};
  const LinearizationInfo info = CheckVerbose(history);
  REQUIRE(info.result == CheckResult::kIllegal);
  const PartitionInfo& p = info.partitions[0];
  REQUIRE(p.blocking_operation.has_value());
  CHECK(*p.blocking_operation == 3);
  for (std::size_t i = 0; i < p.operations.size(); ++i) {
    if (p.largest[i] < 0) continue;
    const auto& prefix = p.partial_linearizations[p.largest[i]];
    CAPTURE(i, prefix);
    CHECK(std::find(prefix.begin(), prefix.end(), p.operations[i]) != prefix.end());
    CHECK(IsLinearizablePrefix(history, prefix));
  }
  for (std::size_t k = 1; k < p.partial_linearizations.size(); ++k) {
    CHECK(p.partial_linearizations[k - 1].size() >= p.partial_linearizations[k].size());
  }
}

TEST_CASE("Each key is its own partition and only the bad key is Illegal",
          "[linearizability][checker]") {
  const std::vector<KvOperation> history = {
      Put(0, "a", "1", 0, 10),  Get(1, "a", "1", 20, 30),                            // fine
      Put(0, "b", "1", 0, 10),  Put(1, "b", "2", 20, 30), Get(2, "b", "1", 40, 50),  // stale
      Append(2, "c", "z", 0, 5)};
  const LinearizationInfo info = CheckVerbose(history);
  REQUIRE(info.result == CheckResult::kIllegal);
  REQUIRE(info.partitions.size() == 3);
  CHECK(info.partitions[0].result == CheckResult::kOk);
  CHECK(info.partitions[1].result == CheckResult::kIllegal);
  CHECK(info.partitions[2].result == CheckResult::kOk);
  CHECK(info.partitions[1].operations == std::vector<std::size_t>{2, 3, 4});
  // Not verbose: stops early, still Illegal.
  CHECK(CheckOperationsTimeout(KvModel(), history, std::chrono::seconds(0)) ==
        CheckResult::kIllegal);
}

// n appends that all overlap, then a read of a value no order produces: the search must try
// every subset and order of the appends before it can say Illegal.
std::vector<KvOperation> HardIllegalHistory(int n) {
  std::vector<KvOperation> history;
  for (int i = 0; i < n; ++i) {
    history.push_back(Append(i, "x", "v" + std::to_string(i) + ";", i, 1000 + i));
  }
  history.push_back(Get(n, "x", "impossible", 2000, 2001));
  return history;
}

TEST_CASE("A timeout gives Unknown promptly", "[linearizability][checker][timeout]") {
  const auto history = HardIllegalHistory(40);
  const auto start = std::chrono::steady_clock::now();
  CheckOptions options;
  options.timeout = std::chrono::milliseconds(50);
  const LinearizationInfo info = CheckOperationsVerbose(KvModel(), history, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(info.result == CheckResult::kUnknown);
  CHECK(info.timed_out);
  CHECK(info.partitions[0].result == CheckResult::kUnknown);
  CHECK(seconds < 5.0);
  // Verbose mode honours the timeout too.
  options.verbose = true;
  CHECK(CheckOperationsVerbose(KvModel(), history, options).result == CheckResult::kUnknown);
}

TEST_CASE("Without a timeout a small hard history is decided", "[linearizability][checker]") {
  const auto history = HardIllegalHistory(8);
  CHECK(CheckOperationsTimeout(KvModel(), history, std::chrono::seconds(0)) ==
        CheckResult::kIllegal);
  auto legal = history;
  legal.back().output.value = "v0;v1;v2;v3;v4;v5;v6;v7;";
  CHECK(CheckOperationsTimeout(KvModel(), legal, std::chrono::seconds(0)) == CheckResult::kOk);
  legal.back().output.value = "v7;v6;v5;v4;v3;v2;v1;v0;";
  CHECK(CheckOperationsTimeout(KvModel(), legal, std::chrono::seconds(0)) == CheckResult::kOk);
}

TEST_CASE("A legal history finishes well within a generous timeout",
          "[linearizability][checker][timeout]") {
  std::vector<KvOperation> history;
  for (int i = 0; i < 2000; ++i) {
    history.push_back(Append(i % 7, "k" + std::to_string(i % 3), "x", i * 10, i * 10 + 5));
  }
  CHECK(CheckOperationsTimeout(KvModel(), history, std::chrono::seconds(60)) == CheckResult::kOk);
}

TEST_CASE("Operations that return before they are called are rejected",
          "[linearizability][checker]") {
  const std::vector<KvOperation> history = {Put(0, "x", "1", 10, 5)};
  CHECK_THROWS_AS(CheckOperations(KvModel(), history), std::invalid_argument);
}

// A register with integer states and no partition, equal or hash: the defaults apply.
struct RegisterInput {
  bool write;
  int value;
};
using RegisterModel = Model<int, RegisterInput, int>;

RegisterModel MakeRegister() {
  RegisterModel model;
  model.init = [] { return 0; };
  model.step = [](const int& state, const RegisterInput& in, const int& out) -> std::optional<int> {
    if (in.write) return in.value;
    if (out != state) return std::nullopt;
    return state;
  };
  return model;
}

TEST_CASE("A model with only init and step uses the defaults", "[linearizability][checker]") {
  using Op = RegisterModel::Op;
  const RegisterModel model = MakeRegister();
  const std::vector<Op> ok = {{0, {true, 5}, 0, 0, 10}, {1, {false, 0}, 5, 5, 20}};
  const std::vector<Op> bad = {{0, {true, 5}, 0, 0, 10}, {1, {false, 0}, 20, 7, 30}};
  CHECK(CheckOperations(model, ok));
  CHECK_FALSE(CheckOperations(model, bad));
  const LinearizationInfo info = CheckOperationsVerbose(model, ok);
  CHECK(info.partitions.size() == 1);

  // A custom equality without a hash still works (constant hash).
  RegisterModel mod3 = model;
  mod3.equal = [](const int& a, const int& b) { return a % 3 == b % 3; };
  mod3.step = [](const int& state, const RegisterInput& in, const int& out) -> std::optional<int> {
    if (in.write) return in.value;
    if (out % 3 != state % 3) return std::nullopt;
    return state;
  };
  const std::vector<Op> mod3_ok = {{0, {true, 5}, 0, 0, 10}, {1, {false, 0}, 20, 8, 30}};
  CHECK(CheckOperations(mod3, mod3_ok));

  RegisterModel incomplete;
  CHECK_THROWS_AS(incomplete.Resolved(), std::invalid_argument);
}

TEST_CASE("A partition that misses operations is rejected", "[linearizability][checker]") {
  RegisterModel model = MakeRegister();
  model.partition = [](const std::vector<RegisterModel::Op>&) {
    return std::vector<std::vector<std::size_t>>{{0}};
  };
  const std::vector<RegisterModel::Op> history = {{0, {true, 5}, 0, 0, 10},
                                                  {1, {false, 0}, 5, 5, 20}};
  CHECK_THROWS_AS(CheckOperations(model, history), std::invalid_argument);
}

}  // namespace
}  // namespace lab::linearizability
