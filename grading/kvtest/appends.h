// Checks of Append results: every client appends elements "x <client> <j> y" to a key, and a
// later Get must show each of them exactly once, each client's in the order it appended them
// (6.824's checkClntAppends and checkConcurrentAppends).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// A missing element means an Append the clerk saw succeed was lost; a duplicate means a
// retried Append was applied twice (no exactly-once); the wrong order means Appends were
// applied out of order. Each check fails the run through lab::Fatal with the original's words
// and a hint.
#ifndef GRADING_KVTEST_APPENDS_H_
#define GRADING_KVTEST_APPENDS_H_

#include <string>
#include <string_view>
#include <vector>

namespace kvtest {

// The element client `client` appends in its j-th Append.
std::string AppendElement(int client, int j);

// `value` holds elements 0..count-1 of `client`, once each, in order.
void CheckClntAppends(int client, std::string_view value, int count);
// For every client i, `value` holds its elements 0..counts[i]-1, once each, in order.
void CheckConcurrentAppends(std::string_view value, const std::vector<int>& counts);

// `s` cut to its first and last `keep` characters, for messages about long values.
std::string Shorten(std::string_view s, std::size_t keep = 120);

// How a value read back differs from the expected one, when values are built by Puts and
// Appends of random text. A tester adds its lab's likely causes to the words.
enum class ValueDifference {
  kMissingWrites,  // `received` is `expected` without some of its text: writes were lost
  kRepeatedText,   // `received` is `expected` with pieces of it repeated: ops applied twice
  kOther,          // anything else (for example an older Put's value, or lost and repeated
                   // writes at once)
};
ValueDifference Compare(std::string_view expected, std::string_view received);

}  // namespace kvtest

#endif  // GRADING_KVTEST_APPENDS_H_
