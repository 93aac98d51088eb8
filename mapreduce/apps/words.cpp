#include "mapreduce/apps/words.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace mr::apps {

namespace {

struct Range {
  char32_t first;
  char32_t last;  // inclusive
};

// Letter ranges (Unicode general category L) of the scripts we cover, sorted.
constexpr std::array<Range, 40> kLetterRanges = {{
    {0x41, 0x5A},     {0x61, 0x7A},     {0xAA, 0xAA},     {0xB5, 0xB5},     {0xBA, 0xBA},
    {0xC0, 0xD6},     {0xD8, 0xF6},     {0xF8, 0x2C1},    {0x2C6, 0x2D1},   {0x2E0, 0x2E4},
    {0x370, 0x374},   {0x376, 0x377},   {0x37A, 0x37D},   {0x37F, 0x37F},   {0x386, 0x386},
    {0x388, 0x38A},   {0x38C, 0x38C},   {0x38E, 0x3A1},   {0x3A3, 0x3F5},   {0x3F7, 0x481},
    {0x48A, 0x52F},   {0x531, 0x556},   {0x561, 0x587},   {0x5D0, 0x5EA},   {0x620, 0x64A},
    {0x1E00, 0x1F15}, {0x1F18, 0x1F1D}, {0x1F20, 0x1F45}, {0x1F48, 0x1F4D}, {0x1F50, 0x1F7D},
    {0x1F80, 0x1FBC}, {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
    {0xAC00, 0xD7A3}, {0xF900, 0xFA6D}, {0xFB00, 0xFB06}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A},
}};

constexpr bool SortedAndDisjoint() {
  for (std::size_t i = 0; i < kLetterRanges.size(); ++i) {
    if (kLetterRanges[i].first > kLetterRanges[i].last) return false;
    if (i > 0 && kLetterRanges[i - 1].last >= kLetterRanges[i].first) return false;
  }
  return true;
}
static_assert(SortedAndDisjoint(), "IsLetter's binary search needs sorted, disjoint ranges");

// Decodes one UTF-8 sequence at text[pos]; sets *length to its byte count (1 for an invalid
// byte, which decodes to U+FFFD as in Go).
char32_t DecodeUtf8(std::string_view text, std::size_t pos, std::size_t* length) {
  constexpr char32_t kReplacement = 0xFFFD;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  *length = 1;
  if (lead < 0x80) return lead;
  std::size_t count = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (count == 0 || lead > 0xF4 || pos + count > text.size()) return kReplacement;
  char32_t code_point = lead & (0x7F >> count);
  for (std::size_t i = 1; i < count; ++i) {
    unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return kReplacement;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  constexpr std::array<char32_t, 5> kMinForLength = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kMinForLength[count] || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return kReplacement;  // overlong, out of range, or a surrogate
  }
  *length = count;
  return code_point;
}

}  // namespace

bool IsLetter(char32_t code_point) {
  const auto* it = std::upper_bound(kLetterRanges.begin(), kLetterRanges.end(), code_point,
                                    [](char32_t c, const Range& r) { return c < r.first; });
  return it != kLetterRanges.begin() && code_point <= std::prev(it)->last;
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  bool in_word = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length = 0;
    bool letter = IsLetter(DecodeUtf8(text, pos, &length));
    if (letter && !in_word) {
      start = pos;
      in_word = true;
    } else if (!letter && in_word) {
      words.push_back(text.substr(start, pos - start));
      in_word = false;
    }
    pos += length;
  }
  if (in_word) words.push_back(text.substr(start));
  return words;
}

}  // namespace mr::apps
