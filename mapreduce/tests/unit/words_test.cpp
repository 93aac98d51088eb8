// Unit tests of the word splitting that the wc and indexer apps share (apps/words.h).
#include "mapreduce/apps/words.h"

#include <string>
#include <utility>
#include <vector>

#include "labrpc/testing/catch.h"

namespace mr::apps {
namespace {

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view w : SplitWords(text)) out.emplace_back(w);
  return out;
}

TEST_CASE("words: split on every non-letter and keep UTF-8 letters", "[mapreduce][words]") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"", {}},
      {"  \n\t ", {}},
      {"Hello, world!", {"Hello", "world"}},
      {"don't", {"don", "t"}},
      {"abc123def", {"abc", "def"}},
      {"CHAPTER IV.", {"CHAPTER", "IV"}},
      {"caf\u00e9 na\u00efve", {"caf\u00e9", "na\u00efve"}},
      {"smoke\u2014fire", {"smoke", "fire"}},  // em dash separates
      {"\u201cquoted\u201d", {"quoted"}},      // curly quotes separate
      {"a\u00d7b", {"a", "b"}},                // multiplication sign is no letter
      {"\u03a9mega \u041f\u0440\u0438\u0432\u0435\u0442",
       {"\u03a9mega", "\u041f\u0440\u0438\u0432\u0435\u0442"}},
      {"\u65e5\u672c\u8a9e text", {"\u65e5\u672c\u8a9e", "text"}},
      {"a\xff"
       "b",
       {"a", "b"}},      // an invalid byte separates
      {"x\xc3", {"x"}},  // a truncated sequence at the end
      {"\xc0\xaf"
       "ok",
       {"ok"}},  // an overlong encoding is invalid
  };
  for (const auto& [text, words] : cases) {
    CAPTURE(text);
    REQUIRE(Split(text) == words);
  }
}

TEST_CASE("words: IsLetter at the edges of its ranges", "[mapreduce][words]") {
  REQUIRE(IsLetter('A'));
  REQUIRE(IsLetter('z'));
  REQUIRE_FALSE(IsLetter('@'));
  REQUIRE_FALSE(IsLetter('['));
  REQUIRE_FALSE(IsLetter('0'));
  REQUIRE(IsLetter(0xC0));
  REQUIRE_FALSE(IsLetter(0xD7));
  REQUIRE_FALSE(IsLetter(0xF7));
  REQUIRE(IsLetter(0xFF));
  REQUIRE_FALSE(IsLetter(0x2014));
  REQUIRE_FALSE(IsLetter(0xFFFD));
}

}  // namespace
}  // namespace mr::apps
