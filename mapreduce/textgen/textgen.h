// The MapReduce lab's input texts, generated: eight files of synthetic English-like prose.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// The original lab ships eight Project Gutenberg books (pg-*.txt, 3.3 MB). Here the same eight
// file names and byte sizes are filled with generated text, so nothing is downloaded and every
// build produces the same bytes. The text has what the apps and tests need from prose: words
// drawn from a Zipf-like frequency distribution (a few very common words, a long tail of rare
// ones), capitalised sentence starts, punctuation, quotes, contractions, chapter headings,
// numbers, some accented words and typographic punctuation in UTF-8, per-book character names
// and topics (so the indexer finds words unique to one book), and "sherlock" and "tom" in two
// file names (the early-exit app looks for them).
//
// While writing, the generator records every word it emits. That record is a word count made
// without any word-splitting code, which the test driver compares with the wc app's output.
// A word here means what the wc app splits on: a maximal run of letters; the generator places
// at least one non-letter between any two words.
#ifndef MAPREDUCE_TEXTGEN_TEXTGEN_H_
#define MAPREDUCE_TEXTGEN_TEXTGEN_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mr::textgen {

inline constexpr std::uint64_t kDefaultSeed = 6824;

struct InputSpec {
  std::string name;  // "pg-grimm.txt"
  std::size_t size;  // exact size in bytes
};

// The eight inputs, sorted by name (the order a shell glob gives them).
const std::vector<InputSpec>& DefaultInputs();

struct Text {
  std::string name;
  std::string contents;
  std::map<std::string, std::int64_t> word_counts;  // every word written, with its count
};

struct Corpus {
  std::vector<Text> texts;  // sorted by name

  // Counts over all texts.
  std::map<std::string, std::int64_t> TotalWordCounts() const;
};

// Deterministic: the same seed gives the same bytes on every run and machine.
Corpus Generate(std::uint64_t seed = kDefaultSeed);
Text GenerateText(const InputSpec& spec, std::uint64_t seed);

}  // namespace mr::textgen

#endif  // MAPREDUCE_TEXTGEN_TEXTGEN_H_
