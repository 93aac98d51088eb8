// Unit tests of the input generator (textgen/textgen.h): exact sizes, determinism, and a
// word record that agrees with the wc app's splitting.
#include "mapreduce/textgen/textgen.h"

#include <algorithm>
#include <map>
#include <string>

#include "labrpc/testing/catch.h"
#include "mapreduce/apps/words.h"

namespace mr::textgen {
namespace {

const Corpus& TheCorpus() {
  static const Corpus kCorpus = Generate();
  return kCorpus;
}

TEST_CASE("textgen: eight files with the original names and sizes", "[mapreduce][textgen]") {
  const Corpus& corpus = TheCorpus();
  REQUIRE(corpus.texts.size() == 8);
  std::size_t total = 0;
  for (std::size_t i = 0; i < corpus.texts.size(); ++i) {
    CAPTURE(corpus.texts[i].name);
    REQUIRE(corpus.texts[i].name == DefaultInputs()[i].name);
    REQUIRE(corpus.texts[i].contents.size() == DefaultInputs()[i].size);
    total += corpus.texts[i].contents.size();
  }
  REQUIRE(total == 3'301'104);
  REQUIRE(std::is_sorted(corpus.texts.begin(), corpus.texts.end(),
                         [](const Text& a, const Text& b) { return a.name < b.name; }));
}

TEST_CASE("textgen: the same seed gives the same bytes and another seed others",
          "[mapreduce][textgen]") {
  const InputSpec& spec = DefaultInputs()[0];
  REQUIRE(GenerateText(spec, kDefaultSeed).contents == TheCorpus().texts[0].contents);
  REQUIRE(GenerateText(spec, kDefaultSeed + 1).contents != TheCorpus().texts[0].contents);
}

TEST_CASE("textgen: the word record equals what the wc splitting finds", "[mapreduce][textgen]") {
  for (const Text& text : TheCorpus().texts) {
    CAPTURE(text.name);
    std::map<std::string, std::int64_t> split;
    for (std::string_view word : apps::SplitWords(text.contents)) ++split[std::string(word)];
    REQUIRE(split == text.word_counts);
  }
}

TEST_CASE("textgen: the text looks like prose", "[mapreduce][textgen]") {
  std::map<std::string, std::int64_t> counts = TheCorpus().TotalWordCounts();
  std::int64_t words = 0;
  for (const auto& [word, count] : counts) words += count;
  CAPTURE(words, counts.size());
  REQUIRE(words > 450'000);                 // about 3.3 MB of 5 to 6 letter words
  REQUIRE(counts.size() > 10'000);          // a long tail
  REQUIRE(counts["the"] > words / 40);      // Zipf: the top word is a few percent of all
  REQUIRE(counts.count("caf\u00e9") == 1);  // some accented words
  REQUIRE(counts.count("CHAPTER") == 1);
  // Each book has words of its own (character names, topics) for the indexer to find.
  for (const Text& text : TheCorpus().texts) {
    int own = 0;
    for (const auto& [word, count] : text.word_counts) {
      if (counts[word] == count) ++own;
    }
    CAPTURE(text.name);
    REQUIRE(own > 20);
  }
}

}  // namespace
}  // namespace mr::textgen
