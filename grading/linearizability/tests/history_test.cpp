// History files: round trips, accepted variants, and clear errors for malformed input.
#include "grading/linearizability/history.h"

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "grading/linearizability/testing/random_history.h"
#include "grading/linearizability/tests/test_util.h"
#include "labrpc/testing/catch.h"

namespace lab::linearizability {
namespace {

bool SameOperation(const KvOperation& a, const KvOperation& b) {
  return a.client_id == b.client_id && a.input.op == b.input.op && a.input.key == b.input.key &&
         a.input.value == b.input.value && a.output.value == b.output.value && a.call == b.call &&
         a.return_time == b.return_time;
}

TEST_CASE("A history survives JSON and back", "[linearizability][history]") {
  std::mt19937_64 rng(lab::testing::CatchSeed());
  testing::RandomHistoryOptions options;
  options.operations = 300;
  options.keys = 3;
  KvHistory history;
  history.operations = testing::RandomLegalHistory(options, rng).operations;
  history.operations.push_back(testing::Get(7, "quote\"key", "line\nbreak \\ </script>", -5, 9));
  Annotation partition;
  partition.start = 10;
  partition.end = 50;
  partition.description = "partition {0,1} | {2}";
  partition.tag = "partition";
  Annotation crash;
  crash.client_id = 3;
  crash.start = crash.end = 70;
  crash.description = "server 2 crashed";
  crash.details = "restarted at 90";
  crash.color = "#c00";
  history.annotations = {partition, crash};

  const std::string json = KvHistoryToJson(history);
  const KvHistory back = ParseKvHistory(json, "roundtrip");
  REQUIRE(back.operations.size() == history.operations.size());
  for (std::size_t i = 0; i < history.operations.size(); ++i) {
    CAPTURE(i);
    CHECK(SameOperation(back.operations[i], history.operations[i]));
  }
  REQUIRE(back.annotations.size() == 2);
  CHECK(back.annotations[0].description == partition.description);
  CHECK_FALSE(back.annotations[0].client_id.has_value());
  CHECK(back.annotations[0].end == 50);
  CHECK(back.annotations[1].client_id == 3);
  CHECK(back.annotations[1].details == "restarted at 90");
  CHECK(back.annotations[1].color == "#c00");
  // One operation per line.
  CHECK(std::count(json.begin(), json.end(), '\n') >= static_cast<long>(history.operations.size()));

  const std::string path =
      (std::filesystem::temp_directory_path() /
       ("linearizability-roundtrip-" + std::to_string(lab::testing::CatchSeed()) + ".json"))
          .string();
  WriteKvHistoryFile(history, path);
  CHECK(ReadKvHistoryFile(path).operations.size() == history.operations.size());
  std::remove(path.c_str());
}

TEST_CASE("A bare array and numeric op codes are accepted", "[linearizability][history]") {
  const KvHistory h = ParseKvHistory(R"([
      {"client": 0, "op": 1, "key": "k", "value": "v", "call": 0, "return": 5},
      {"client": 1, "op": "get", "key": "k", "output": "v", "call": 6, "return": 9},
      {"client": 1, "op": "put", "key": "k", "value": "w", "output": "", "call": 10, "return": 11}
    ])");
  REQUIRE(h.operations.size() == 3);
  CHECK(h.operations[0].input.op == KvOp::kPut);
  CHECK(h.operations[1].output.value == "v");
  CHECK(h.annotations.empty());
}

TEST_CASE("Malformed histories give errors that say where and what", "[linearizability][history]") {
  const std::string ok_op =
      R"({"client": 0, "op": "get", "key": "k", "output": "", "call": 1, "return": 2})";
  struct Row {
    std::string text;
    std::string expected;  // a substring of the message
  };
  const std::vector<Row> rows = {
      {"", "not valid JSON"},
      {"{\"operations\": [", "not valid JSON"},
      {"{\"operations\": [] } trailing", "not valid JSON"},
      {"42", "expected an object with \"operations\" or an array"},
      {"{}", "missing field \"operations\""},
      {R"({"operations": {}})", "\"operations\" must be an array"},
      {R"({"operations": [], "extra": 1})", "unknown field \"extra\""},
      {R"({"model": "queue", "operations": []})", "unknown \"model\""},
      {"[1]", "operations[0]: an operation must be a JSON object"},
      {R"([{"op": "get", "key": "k", "output": "", "call": 1, "return": 2}])",
       "operations[0]: missing field \"client\""},
      {"[" + ok_op +
           R"(, {"client": 0, "op": "get", "key": "k", "output": "", "call": "1", "return": 2}])",
       "operations[1]: \"call\" must be an integer, got string"},
      {R"([{"client": 0, "op": "get", "key": "k", "output": "", "call": 1.5, "return": 2}])",
       "\"call\" must be an integer, got a fractional number"},
      {R"([{"client": -1, "op": "get", "key": "k", "output": "", "call": 1, "return": 2}])",
       "\"client\" must be a non-negative int"},
      {R"([{"client": 0, "op": "read", "key": "k", "output": "", "call": 1, "return": 2}])",
       "unknown \"op\" \"read\""},
      {R"([{"client": 0, "op": 7, "key": "k", "output": "", "call": 1, "return": 2}])",
       "\"op\" must be get, put, append, get_and_append (or 0-3)"},
      {R"([{"client": 0, "op": "get", "key": 5, "output": "", "call": 1, "return": 2}])",
       "\"key\" must be a string, got number"},
      {R"([{"client": 0, "op": "get", "key": "k", "call": 1, "return": 2}])",
       "missing field \"output\""},
      {R"([{"client": 0, "op": "put", "key": "k", "call": 1, "return": 2}])",
       "missing field \"value\""},
      {R"([{"client": 0, "op": "get", "key": "k", "value": "v", "output": "", "call": 1, "return": 2}])",
       "a get has no \"value\" argument"},
      {R"([{"client": 0, "op": "put", "key": "k", "value": "v", "output": "OK", "call": 1, "return": 2}])",
       "a put returns nothing"},
      {R"([{"client": 0, "op": "get", "key": "k", "output": "", "call": 1, "retrun": 2}])",
       "unknown field \"retrun\""},
      {R"([{"client": 0, "op": "get", "key": "k", "output": "", "call": 5, "return": 2}])",
       "returns (2) before it is called (5)"},
      {R"([{"client": 0, "op": "get", "key": "k", "output": "", "call": 1, "return": 99999999999999999999}])",
       "\"return\""},
      {R"({"operations": [], "annotations": [{"start": 5, "end": 2, "description": "x"}]})",
       "annotations[0]: \"end\" is before \"start\""},
      {R"({"operations": [], "annotations": [{"start": 5}]})",
       "annotations[0]: missing field \"description\""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    try {
      ParseKvHistory(row.text, "h.json");
      FAIL("no error for malformed input");
    } catch (const HistoryError& e) {
      const std::string message = e.what();
      CAPTURE(message);
      CHECK(message.rfind("h.json: ", 0) == 0);
      CHECK(message.find(row.expected) != std::string::npos);
    }
  }
}

TEST_CASE("A missing file is a HistoryError naming it", "[linearizability][history]") {
  try {
    ReadKvHistoryFile("/nonexistent/dir/history.json");
    FAIL("no error");
  } catch (const HistoryError& e) {
    CHECK(std::string(e.what()) == "/nonexistent/dir/history.json: cannot open file");
  }
}

TEST_CASE("Bytes that are not UTF-8 are written as replacement characters",
          "[linearizability][history]") {
  KvHistory history;
  history.operations.push_back(testing::Put(0, "k",
                                            std::string("a\xff"
                                                        "b"),
                                            0, 1));
  const KvHistory back = ParseKvHistory(KvHistoryToJson(history));
  REQUIRE(back.operations.size() == 1);
  CHECK(back.operations[0].input.value ==
        "a\xEF\xBF\xBD"
        "b");
}

}  // namespace
}  // namespace lab::linearizability
