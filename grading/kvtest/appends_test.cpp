// Unit tests of kvtest::Compare (appends.h): the shape of a wrong value, which the testers turn
// into the likely cause of the bug.
#include "grading/kvtest/appends.h"

#include "labrpc/testing/catch.h"

namespace kvtest {
namespace {

TEST_CASE("Compare: lost writes", "[kvtest]") {
  CHECK(Compare("abcdef", "") == ValueDifference::kMissingWrites);
  CHECK(Compare("abcdef", "abc") == ValueDifference::kMissingWrites);   // the last Appends
  CHECK(Compare("abcdef", "abef") == ValueDifference::kMissingWrites);  // one in the middle
  CHECK(Compare("abcdef", "cdef") == ValueDifference::kMissingWrites);  // the first Put
}

TEST_CASE("Compare: an op applied twice", "[kvtest]") {
  CHECK(Compare("abcdef", "abcdefef") == ValueDifference::kRepeatedText);    // the last Append
  CHECK(Compare("abcdef", "abcdcdef") == ValueDifference::kRepeatedText);    // one in the middle
  CHECK(Compare("abcdef", "ababcdefef") == ValueDifference::kRepeatedText);  // two of them
}

TEST_CASE("Compare: anything else", "[kvtest]") {
  CHECK(Compare("abcdef", "xyz") == ValueDifference::kOther);       // another Put's value
  CHECK(Compare("abcdef", "abcdefxy") == ValueDifference::kOther);  // text never written
  CHECK(Compare("abcdef", "abxyef") == ValueDifference::kOther);
  CHECK(Compare("abcdef", "ababef") == ValueDifference::kOther);  // lost and repeated at once
}

}  // namespace
}  // namespace kvtest
