// Splitting text into words the way the wc and indexer apps do (Go's strings.FieldsFunc with
// a "not unicode.IsLetter" separator).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// The text is decoded as UTF-8. A word is a maximal run of letters; every other code point,
// and every byte that is not part of a valid UTF-8 sequence, separates words. IsLetter is
// exact for ASCII and Latin-1 and covers the letters of the common alphabets (Latin
// extensions, Greek, Cyrillic, Armenian, Hebrew, Arabic, kana, CJK ideographs, Hangul); it
// does not carry Unicode's full tables.
#ifndef MAPREDUCE_APPS_WORDS_H_
#define MAPREDUCE_APPS_WORDS_H_

#include <string_view>
#include <vector>

namespace mr::apps {

bool IsLetter(char32_t code_point);

// The words of `text`, in order, as views into it.
std::vector<std::string_view> SplitWords(std::string_view text);

}  // namespace mr::apps

#endif  // MAPREDUCE_APPS_WORDS_H_
