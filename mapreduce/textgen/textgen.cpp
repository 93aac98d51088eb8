// How the text is made: a vocabulary (common English function words, then made-up words from
// syllables) ranked by frequency; each book draws from it with a Zipf-Mandelbrot law, mixed
// with its own topic words and character names; sentences, paragraphs and chapters give it the
// shape of a novel; a Writer wraps lines, keeps the byte budget and records every word.
//
// Only integer arithmetic and IEEE double operations with a fixed order feed the choices, and
// the random generator is our own (std distributions differ between library versions), so the
// output is the same everywhere.
#include "mapreduce/textgen/textgen.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string_view>

namespace mr::textgen {

namespace {

// SplitMix64: small, fast, and good enough for text.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: n > 0.
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }

 private:
  std::uint64_t state_;
};

std::uint64_t HashName(std::string_view name) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bit
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return h;
}

// The most frequent words of English fiction, most frequent first.
constexpr std::array<std::string_view, 120> kCommonWords = {
    "the",   "and",   "of",    "to",      "a",     "I",     "in",    "was",    "he",     "that",
    "it",    "his",   "her",   "you",     "with",  "had",   "as",    "for",    "she",    "not",
    "at",    "but",   "is",    "my",      "on",    "him",   "be",    "all",    "said",   "me",
    "have",  "so",    "which", "they",    "by",    "from",  "this",  "were",   "no",     "one",
    "there", "we",    "what",  "would",   "when",  "or",    "an",    "them",   "if",     "been",
    "their", "could", "who",   "out",     "up",    "will",  "then",  "into",   "do",     "more",
    "very",  "your",  "upon",  "like",    "some",  "now",   "did",   "little", "about",  "over",
    "time",  "know",  "man",   "should",  "see",   "can",   "only",  "our",    "before", "well",
    "must",  "has",   "such",  "much",    "may",   "come",  "never", "made",   "other",  "down",
    "its",   "how",   "these", "than",    "after", "old",   "great", "where",  "own",    "here",
    "us",    "go",    "again", "through", "way",   "good",  "think", "long",   "first",  "away",
    "went",  "eyes",  "back",  "thought", "house", "night", "face",  "hand",   "door",   "head",
};

// Words with letters beyond ASCII, used now and then (UTF-8).
constexpr std::array<std::string_view, 12> kAccentedWords = {
    "café", "naïve", "façade", "fiancée", "résumé", "señor",
    "über", "déjà",  "rôle",   "Zürich",  "cœur",   "smörgåsbord",
};

struct Contraction {
  std::string_view before, after;  // written before'after, counted as two words
};
constexpr std::array<Contraction, 10> kContractions = {{
    {"don", "t"},
    {"it", "s"},
    {"I", "m"},
    {"can", "t"},
    {"won", "t"},
    {"I", "ll"},
    {"you", "re"},
    {"he", "d"},
    {"we", "ve"},
    {"she", "s"},
}};

constexpr std::array<std::string_view, 40> kOnsets = {
    "",   "b",  "c",  "d",  "f",  "g",  "h",  "j",  "k",  "l",  "m",  "n",  "p",  "r",
    "s",  "t",  "v",  "w",  "y",  "z",  "bl", "br", "ch", "cl", "cr", "dr", "fl", "fr",
    "gl", "gr", "pl", "pr", "sh", "sl", "sp", "st", "th", "tr", "wh", "wr",
};
constexpr std::array<std::string_view, 13> kNuclei = {
    "a", "e", "i", "o", "u", "a", "e", "ai", "ea", "ee", "oo", "ou", "y",
};
constexpr std::array<std::string_view, 24> kCodas = {
    "",  "",   "",   "",   "b", "ck", "d",  "ft", "g",  "ld", "ll", "m",
    "n", "nd", "ng", "nt", "p", "r",  "rd", "s",  "sh", "ss", "st", "t",
};

template <class Array>
std::string_view Pick(Rng& rng, const Array& options) {
  return options[rng.Below(options.size())];
}

std::string MakeWord(Rng& rng, int syllables) {
  std::string word;
  for (int i = 0; i < syllables; ++i) {
    word += Pick(rng, kOnsets);
    word += Pick(rng, kNuclei);
    if (i + 1 == syllables || rng.Chance(0.3)) word += Pick(rng, kCodas);
  }
  return word;
}

std::string Capitalize(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 32);
  return word;
}

// `count` distinct made-up words, none in `taken` (which receives them).
std::vector<std::string> MakeWords(Rng& rng, std::size_t count, int max_syllables,
                                   std::set<std::string>* taken) {
  std::vector<std::string> words;
  while (words.size() < count) {
    std::string word = MakeWord(rng, 1 + static_cast<int>(rng.Below(max_syllables)));
    if (word.size() >= 2 && taken->insert(word).second) words.push_back(std::move(word));
  }
  return words;
}

// Draws ranks 0..n-1 with probability proportional to 1 / (rank + offset)^exponent.
class ZipfSampler {
 public:
  ZipfSampler(std::size_t n, double offset, double exponent) : cumulative_(n) {
    double total = 0;
    for (std::size_t rank = 0; rank < n; ++rank) {
      total += 1.0 / std::pow(static_cast<double>(rank) + offset, exponent);
      cumulative_[rank] = total;
    }
  }
  std::size_t Sample(Rng& rng) const {
    double target = rng.Uniform() * cumulative_.back();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()),
                                 cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

// Appends text under a byte budget, wrapping lines, and records every word. Pieces are words
// (letters only) and punctuation (no letters); Space() marks where a line may break.
class Writer {
 public:
  explicit Writer(std::size_t size) : size_(size) { out_.reserve(size); }

  bool full() const { return full_; }

  void Space() { pending_space_ = true; }

  void Word(std::string_view word) {
    if (last_was_word_ && !pending_space_) {
      throw std::logic_error("textgen: two words with nothing between them");
    }
    if (Put(word)) {
      ++counts_[std::string(word)];
      last_was_word_ = true;
    }
  }

  // REQUIRES: `punct` holds no ASCII letter (its non-ASCII characters are punctuation).
  void Punct(std::string_view punct) {
    for (char c : punct) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        throw std::logic_error("textgen: a letter in punctuation");
      }
    }
    if (Put(punct)) last_was_word_ = false;
  }

  void EndParagraph() {
    if (!full_ && out_.size() + 2 <= size_) {
      out_ += "\n\n";
      column_ = 0;
      pending_space_ = false;
      last_was_word_ = false;
    }
  }

  // Pads with newlines to exactly the size and returns the text and counts.
  Text Finish(std::string name) {
    out_.resize(size_, '\n');
    return Text{std::move(name), std::move(out_), std::move(counts_)};
  }

 private:
  static constexpr std::size_t kLineWidth = 70;

  // Appends `piece` (after the pending space or line break); false once the budget is spent.
  bool Put(std::string_view piece) {
    if (full_) return false;
    std::size_t width = Columns(piece);
    if (column_ == 0) pending_space_ = false;  // no space at the start of a line
    bool line_break = pending_space_ && column_ + 1 + width > kLineWidth;
    std::size_t extra = pending_space_ ? 1 : 0;
    if (out_.size() + extra + piece.size() > size_) {
      full_ = true;
      return false;
    }
    if (pending_space_) {
      out_ += line_break ? '\n' : ' ';
      column_ = line_break ? 0 : column_ + 1;
      pending_space_ = false;
    }
    out_ += piece;
    column_ += width;
    return true;
  }

  // Display columns: UTF-8 continuation bytes take none.
  static std::size_t Columns(std::string_view piece) {
    return static_cast<std::size_t>(std::count_if(piece.begin(), piece.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  }

  const std::size_t size_;
  std::string out_;
  std::map<std::string, std::int64_t> counts_;
  std::size_t column_ = 0;
  bool pending_space_ = false;
  bool last_was_word_ = false;
  bool full_ = false;
};

std::string Roman(int n) {
  static constexpr std::array<std::pair<int, std::string_view>, 13> kDigits = {{
      {1000, "M"},
      {900, "CM"},
      {500, "D"},
      {400, "CD"},
      {100, "C"},
      {90, "XC"},
      {50, "L"},
      {40, "XL"},
      {10, "X"},
      {9, "IX"},
      {5, "V"},
      {4, "IV"},
      {1, "I"},
  }};
  std::string out;
  for (auto [value, digits] : kDigits) {
    for (; n >= value; n -= value) out += digits;
  }
  return out;
}

// Writes one book: a title, then chapters of paragraphs of sentences.
class BookWriter {
 public:
  BookWriter(const InputSpec& spec, std::uint64_t seed)
      : spec_(spec),
        rng_(seed ^ HashName(spec.name)),
        writer_(spec.size),
        vocabulary_(Vocabulary(seed)),
        common_(vocabulary_.size(), 2.7, 1.02),
        topic_sampler_(kTopicWords, 1.0, 1.0),
        name_sampler_(kNames, 1.0, 1.1) {
    std::set<std::string> taken(vocabulary_.begin(), vocabulary_.end());
    for (std::string& name : MakeWords(rng_, kNames, 3, &taken)) {
      names_.push_back(Capitalize(std::move(name)));
    }
    topics_ = MakeWords(rng_, kTopicWords, 3, &taken);
  }

  Text Write() {
    Title();
    for (int chapter = 1; !writer_.full(); ++chapter) {
      Heading(chapter);
      int paragraphs = 20 + static_cast<int>(rng_.Below(40));
      for (int p = 0; p < paragraphs && !writer_.full(); ++p) Paragraph();
    }
    return writer_.Finish(spec_.name);
  }

 private:
  static constexpr std::size_t kNames = 30;
  static constexpr std::size_t kTopicWords = 250;
  static constexpr std::size_t kMadeUpWords = 12000;

  // The shared vocabulary of all books, most frequent first.
  static std::vector<std::string> Vocabulary(std::uint64_t seed) {
    std::vector<std::string> words(kCommonWords.begin(), kCommonWords.end());
    std::set<std::string> taken(words.begin(), words.end());
    Rng rng(seed);
    for (std::string& word : MakeWords(rng, kMadeUpWords, 3, &taken)) {
      words.push_back(std::move(word));
    }
    return words;
  }

  // "pg-sherlock_holmes.txt" -> SHERLOCK HOLMES
  void Title() {
    std::string stem = spec_.name.substr(3, spec_.name.size() - 7);
    std::string word;
    for (char c : stem + "_") {
      if (c == '_') {
        std::transform(word.begin(), word.end(), word.begin(),
                       [](char x) { return static_cast<char>(x - 32); });
        writer_.Space();
        writer_.Word(word);
        word.clear();
      } else {
        word += c;
      }
    }
    writer_.EndParagraph();
  }

  void Heading(int chapter) {
    writer_.Word("CHAPTER");
    writer_.Space();
    if (rng_.Chance(0.5)) {
      writer_.Word(Roman(chapter));
    } else {
      writer_.Punct(std::to_string(chapter));
    }
    writer_.Punct(".");
    writer_.EndParagraph();
  }

  void Paragraph() {
    int sentences = 1 + static_cast<int>(rng_.Below(7));
    for (int s = 0; s < sentences && !writer_.full(); ++s) {
      if (s > 0) writer_.Space();
      Sentence();
    }
    writer_.EndParagraph();
  }

  void Sentence() {
    bool quoted = rng_.Chance(0.2);
    bool curly = rng_.Chance(0.3);
    if (quoted) writer_.Punct(curly ? "\u201C" : "\"");
    int words = 4 + static_cast<int>(rng_.Below(18));
    for (int w = 0; w < words; ++w) {
      if (w > 0) Gap();
      WordOrPhrase(/*first=*/w == 0);
    }
    constexpr std::array<std::string_view, 10> kEnds = {".", ".", ".", ".", ".",
                                                        ".", ".", "?", "!", "..."};
    writer_.Punct(Pick(rng_, kEnds));
    if (quoted) writer_.Punct(curly ? "\u201D" : "\"");
  }

  // What goes between two words of a sentence.
  void Gap() {
    double r = rng_.Uniform();
    if (r < 0.08) {
      writer_.Punct(",");
    } else if (r < 0.09) {
      writer_.Punct(";");
    } else if (r < 0.10) {
      writer_.Space();
      writer_.Punct(rng_.Chance(0.5) ? "\u2014" : "--");
    } else if (r < 0.104) {
      writer_.Space();
      writer_.Punct(std::to_string(1 + rng_.Below(1900)));
    }
    writer_.Space();
  }

  void WordOrPhrase(bool first) {
    double r = rng_.Uniform();
    if (r < 0.012) {
      const Contraction& c = kContractions[rng_.Below(kContractions.size())];
      writer_.Word(first ? Capitalize(std::string(c.before)) : std::string(c.before));
      writer_.Punct(rng_.Chance(0.8) ? "'" : "\u2019");
      writer_.Word(c.after);
    } else if (r < 0.014) {
      writer_.Word(Pick(rng_, kAccentedWords));
    } else if (r < 0.05) {
      writer_.Word(names_[name_sampler_.Sample(rng_)]);
    } else if (r < 0.14) {
      std::string word = topics_[topic_sampler_.Sample(rng_)];
      writer_.Word(first ? Capitalize(word) : word);
    } else {
      std::string word = vocabulary_[common_.Sample(rng_)];
      writer_.Word(first ? Capitalize(word) : word);
    }
  }

  const InputSpec& spec_;
  Rng rng_;
  Writer writer_;
  std::vector<std::string> vocabulary_;
  ZipfSampler common_;
  ZipfSampler topic_sampler_;
  ZipfSampler name_sampler_;
  std::vector<std::string> names_;   // this book's characters
  std::vector<std::string> topics_;  // this book's own words
};

}  // namespace

const std::vector<InputSpec>& DefaultInputs() {
  // The names and sizes of the original lab's inputs.
  static const std::vector<InputSpec> kInputs = {
      {"pg-being_ernest.txt", 138'885},     {"pg-dorian_gray.txt", 453'168},
      {"pg-frankenstein.txt", 441'033},     {"pg-grimm.txt", 540'174},
      {"pg-huckleberry_finn.txt", 594'262}, {"pg-metamorphosis.txt", 139'054},
      {"pg-sherlock_holmes.txt", 581'863},  {"pg-tom_sawyer.txt", 412'665},
  };
  return kInputs;
}

Text GenerateText(const InputSpec& spec, std::uint64_t seed) {
  return BookWriter(spec, seed).Write();
}

Corpus Generate(std::uint64_t seed) {
  Corpus corpus;
  for (const InputSpec& spec : DefaultInputs()) corpus.texts.push_back(GenerateText(spec, seed));
  return corpus;
}

std::map<std::string, std::int64_t> Corpus::TotalWordCounts() const {
  std::map<std::string, std::int64_t> total;
  for (const Text& text : texts) {
    for (const auto& [word, count] : text.word_counts) total[word] += count;
  }
  return total;
}

}  // namespace mr::textgen
