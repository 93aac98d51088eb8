// Hostile submission: reads the hidden test at build time, as the second attack did
// with raft.cpp. The macros turn the hidden test's LAB_TEST into a static_assert whose message
// is its name and tags, and its secret line into an error that quotes it; the build output is
// shown to the student. See README.md.
// The test headers want to know the Catch2 version, which only test targets are told.
#ifndef LAB_CATCH2_MAJOR
#if __has_include(<catch2/catch.hpp>)
#define LAB_CATCH2_MAJOR 2
#else
#define LAB_CATCH2_MAJOR 3
#endif
#endif
#include "grading/tests/fake_student/answer.h"
#include "labrpc/labrpc.h"
#include "labrpc/testing/test.h"

namespace fake_student {
int Answer() { return 42; }
}  // namespace fake_student

#undef LAB_TEST
#define LAB_TEST(name, tags)                                 \
  static_assert(false, "LEAKED hidden test " name " " tags); \
  [[maybe_unused]] static void LeakedBody()
#define constexpr static_assert(false, "LEAKED the next line");
#include "../../hidden/grader_fake/hidden_sample_test.cpp"
