// The visualization page: self-contained, safely embedded data, and the right content.
// (The page's script is exercised in a real browser by tools/selftest.d/60-linearizability.sh.)
#include "grading/linearizability/visualize.h"

#include <sstream>
#include <string>
#include <vector>

#include "grading/linearizability/checker.h"
#include "grading/linearizability/kv_model.h"
#include "grading/linearizability/tests/test_util.h"
#include "labrpc/testing/catch.h"

namespace lab::linearizability {
namespace {

using testing::Get;
using testing::Put;

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

std::string Page(const nlohmann::ordered_json& data) {
  std::ostringstream out;
  WriteVisualization(data, out);
  return out.str();
}

TEST_CASE("The page is one self-contained file", "[linearizability][visualize]") {
  const std::vector<KvOperation> history = {Put(0, "x", "1", 0, 10), Get(1, "x", "1", 20, 30)};
  const auto info = CheckOperationsVerbose(KvModel(), history);
  const std::string page = Page(VisualizationData(KvModel(), history, info));
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("__LINEARIZABILITY_DATA__") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find(" src=") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  CHECK(page.find("fetch(") == std::string::npos);
  CHECK(page.find("XMLHttpRequest") == std::string::npos);
  CHECK(page.find("put('x', '1')") != std::string::npos);
}

TEST_CASE("Data cannot close the script element it is embedded in",
          "[linearizability][visualize]") {
  const std::string evil = "</script><script>document.title='pwned'</script>";
  const std::vector<KvOperation> history = {Put(0, "x", evil, 0, 10)};
  const auto info = CheckOperationsVerbose(KvModel(), history);
  const std::string page = Page(VisualizationData(KvModel(), history, info));
  const std::string clean =
      Page(VisualizationData(KvModel(), std::vector<KvOperation>{},
                             CheckOperationsVerbose(KvModel(), std::vector<KvOperation>{})));
  CHECK(Count(page, "</script>") == Count(clean, "</script>"));
  CHECK(page.find("<\\/script><script>document.title") != std::string::npos);
}

TEST_CASE("Visualization data describes partitions, prefixes and the blocking operation",
          "[linearizability][visualize]") {
  const std::vector<KvOperation> history = {Put(0, "x", "1", 0, 10), Put(1, "x", "2", 20, 30),
                                            Get(2, "x", "1", 40, 50), Put(0, "y", "a", 0, 5)};
  CheckOptions options;
  options.verbose = true;
  const auto info = CheckOperationsVerbose(KvModel(), history, options);
  Annotation crash;
  crash.start = 15;
  crash.end = 15;
  crash.description = "server 1 crashed";
  const auto data = VisualizationData(KvModel(), history, info, {crash}, "my title");
  CHECK(data["title"] == "my title");
  CHECK(data["result"] == "Illegal");
  CHECK(data["initial_state"] == "''");
  REQUIRE(data["annotations"].size() == 1);
  CHECK(data["annotations"][0]["description"] == "server 1 crashed");
  REQUIRE(data["partitions"].size() == 2);
  const auto& x = data["partitions"][0];
  CHECK(x["name"] == "key 'x'");
  CHECK(x["result"] == "Illegal");
  CHECK(x["blocking"] == 2);
  REQUIRE(x["operations"].size() == 3);
  CHECK(x["operations"][2]["description"] == "get('x') -> '1'");
  CHECK(x["operations"][2]["largest"] == -1);
  // The longest prefix: put 1, put 2, with the state after each.
  REQUIRE(x["linearizations"].size() >= 1);
  const auto& longest = x["linearizations"][0];
  REQUIRE(longest.size() == 2);
  CHECK(longest[0][0] == 0);
  CHECK(x["states"][longest[0][1].get<int>()] == "'1'");
  CHECK(longest[1][0] == 1);
  CHECK(x["states"][longest[1][1].get<int>()] == "'2'");
  const auto& y = data["partitions"][1];
  CHECK(y["result"] == "Ok");
  CHECK(y["blocking"].is_null());
  CHECK(y["linearizations"][0].size() == 1);
}

}  // namespace
}  // namespace lab::linearizability
