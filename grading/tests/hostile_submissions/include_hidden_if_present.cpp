// Hostile submission: like include_hidden.cpp, but only where the hidden test exists, so that
// the public build succeeds and the build that sees the hidden test (if any) prints it. See
// README.md.
#include "grading/tests/fake_student/answer.h"

namespace fake_student {
int Answer() { return 42; }
}  // namespace fake_student

#if __has_include("../../hidden/grader_fake/hidden_sample_test.cpp")
// The test headers want to know the Catch2 version, which only test targets are told.
#ifndef LAB_CATCH2_MAJOR
#if __has_include(<catch2/catch.hpp>)
#define LAB_CATCH2_MAJOR 2
#else
#define LAB_CATCH2_MAJOR 3
#endif
#endif
#include "labrpc/labrpc.h"
#include "labrpc/testing/test.h"
#undef LAB_TEST
#define LAB_TEST(name, tags)                                 \
  static_assert(false, "LEAKED hidden test " name " " tags); \
  [[maybe_unused]] static void LeakedBody()
#define constexpr static_assert(false, "LEAKED the next line");
#include "../../hidden/grader_fake/hidden_sample_test.cpp"
#endif
