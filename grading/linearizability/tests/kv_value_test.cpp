// KvValue: the shared-chunk value must behave exactly like the string it stands for.
#include "grading/linearizability/kv_value.h"

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "labrpc/testing/catch.h"

namespace lab::linearizability {
namespace {

TEST_CASE("KvValue matches std::string under random puts and appends", "[linearizability][model]") {
  const std::uint64_t seed = lab::testing::CatchSeed();
  std::cout << "kv value: seed " << seed << "\n";
  std::mt19937_64 rng(seed);
  const std::vector<std::string> pieces = {"", "a", "b", "ab", "ba", "x 1 2 y", "aab"};
  std::vector<std::pair<KvValue, std::string>> values = {{KvValue(), ""}};
  for (int i = 0; i < 3000; ++i) {
    const auto& [value, text] = values[rng() % values.size()];
    const std::string& piece = pieces[rng() % pieces.size()];
    if (rng() % 4 == 0) {
      values.emplace_back(KvValue::Put(piece), piece);
    } else {
      values.emplace_back(value.Append(piece), text + piece);
    }
  }
  for (int i = 0; i < 20000; ++i) {
    const auto& [a, a_text] = values[rng() % values.size()];
    const auto& [b, b_text] = values[rng() % values.size()];
    INFO("seed " << seed << ": '" << a_text << "' vs '" << b_text << "'");
    REQUIRE(a.ToString() == a_text);
    REQUIRE(a.size() == a_text.size());
    REQUIRE((a == b) == (a_text == b_text));
    REQUIRE(a.Equals(b_text) == (a_text == b_text));
    if (a_text == b_text) REQUIRE(a.hash() == b.hash());
  }
}

TEST_CASE("Equal text built along different paths is equal", "[linearizability][model]") {
  const KvValue one = KvValue::Put("ab").Append("cd").Append("e");
  const KvValue two = KvValue::Put("a").Append("bcde");
  const KvValue three = KvValue().Append("abc").Append("de");
  CHECK(one == two);
  CHECK(two == three);
  CHECK(one.hash() == three.hash());
  CHECK(one.Equals("abcde"));
  CHECK_FALSE(one.Equals("abcdf"));
  CHECK_FALSE(one == KvValue::Put("abcdf"));
  CHECK(KvValue() == KvValue::Put(""));
  CHECK(KvValue().Equals(""));
}

TEST_CASE("A long chain of appends is freed without deep recursion", "[linearizability][model]") {
  // 200,000 chunks: recursive destruction would need tens of megabytes of stack.
  KvValue value;
  for (int i = 0; i < 200000; ++i) value = value.Append("x");
  CHECK(value.size() == 200000);
  value = KvValue();
  CHECK(value.size() == 0);
}

}  // namespace
}  // namespace lab::linearizability
