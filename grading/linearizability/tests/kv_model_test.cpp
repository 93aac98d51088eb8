// The key/value model's sequential semantics, descriptions and partitioning.
#include "grading/linearizability/kv_model.h"

#include "grading/linearizability/tests/test_util.h"
#include "labrpc/testing/catch.h"

namespace lab::linearizability {
namespace {

using testing::Append;
using testing::Get;
using testing::GetAndAppend;
using testing::Put;

TEST_CASE("KvStep follows get/put/append semantics", "[linearizability][model]") {
  struct Row {
    const char* state;
    KvOp op;
    const char* value;
    const char* output;
    bool legal;
    const char* next;
  };
  const Row rows[] = {
      {"", KvOp::kGet, "", "", true, ""},
      {"a", KvOp::kGet, "", "a", true, "a"},
      {"a", KvOp::kGet, "", "", false, ""},
      {"a", KvOp::kGet, "", "ab", false, ""},
      {"a", KvOp::kPut, "b", "", true, "b"},
      {"", KvOp::kAppend, "b", "", true, "b"},
      {"a", KvOp::kAppend, "b", "", true, "ab"},
      {"a", KvOp::kGetAndAppend, "b", "a", true, "ab"},
      {"a", KvOp::kGetAndAppend, "b", "", false, ""},
      {"a", KvOp::kGetAndAppend, "b", "ab", false, ""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.state, KvOpName(row.op), row.value, row.output);
    const KvInput input{row.op, "k", row.value};
    auto next = KvStep(row.state, input, KvOutput{row.output});
    REQUIRE(next.has_value() == row.legal);
    if (row.legal) CHECK(*next == row.next);
    // The model's own step, on KvValue, agrees.
    auto value_next = KvValueStep(KvValue::Put(row.state), input, KvOutput{row.output});
    REQUIRE(value_next.has_value() == row.legal);
    if (row.legal) CHECK(value_next->ToString() == row.next);
  }
}

TEST_CASE("KvModel describes operations, states and partitions", "[linearizability][model]") {
  const KvModelType model = KvModel();
  CHECK(model.describe_operation({KvOp::kGet, "k", ""}, {"v"}) == "get('k') -> 'v'");
  CHECK(model.describe_operation({KvOp::kPut, "k", "v"}, {""}) == "put('k', 'v')");
  CHECK(model.describe_operation({KvOp::kAppend, "k", "v"}, {""}) == "append('k', 'v')");
  CHECK(model.describe_operation({KvOp::kGetAndAppend, "k", "v"}, {"o"}) ==
        "get_and_append('k', 'v') -> 'o'");
  CHECK(model.describe_state(KvValue::Put("abc")) == "'abc'");
  CHECK(model.describe_partition({KvOp::kGet, "x", ""}) == "key 'x'");
  CHECK(model.init().size() == 0);
}

TEST_CASE("KvOp names round-trip and reject unknown names", "[linearizability][model]") {
  for (KvOp op : {KvOp::kGet, KvOp::kPut, KvOp::kAppend, KvOp::kGetAndAppend}) {
    REQUIRE(KvOpFromName(KvOpName(op)) == op);
  }
  CHECK_FALSE(KvOpFromName("Get").has_value());
  CHECK_FALSE(KvOpFromName("").has_value());
}

TEST_CASE("KvModel partitions by key, in sorted key order", "[linearizability][model]") {
  const std::vector<KvOperation> history = {
      Put(0, "b", "1", 0, 1), Get(1, "a", "", 0, 1), Append(2, "b", "2", 2, 3),
      GetAndAppend(0, "c", "x", "", 4, 5), Get(1, "a", "", 6, 7)};
  const auto groups = KvModel().partition(history);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0] == std::vector<std::size_t>{1, 4});  // "a"
  CHECK(groups[1] == std::vector<std::size_t>{0, 2});  // "b"
  CHECK(groups[2] == std::vector<std::size_t>{3});     // "c"
}

}  // namespace
}  // namespace lab::linearizability
