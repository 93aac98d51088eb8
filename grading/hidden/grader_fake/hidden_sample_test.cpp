// A hidden test of the grader's fake lab: the working example of grading/hidden/README.md.
// It is compiled into bin/grader_fake_hidden_tests only where grading/hidden/ exists (never in
// a handout), and grading/tests/grader_fake.json lists it with "hidden": true.
//
// The grader's own tests also use it as the secret to steal: its name and the words of
// kSecretProbe below must never reach what a student sees (grading/tests/test_gradescope.py).
#include "grading/tests/fake_student/answer.h"
#include "labrpc/labrpc.h"
#include "labrpc/testing/test.h"

namespace {
constexpr const char* kSecretProbe = "HiddenProbeAnswerStaysStableAfterOneSecond";
}  // namespace

LAB_TEST("TestHiddenSample", "[grader_fake][hidden]") {
  // A hidden test may probe what the public ones do not, e.g. that the answer is stable.
  INFO(kSecretProbe);
  const int first = fake_student::Answer();
  lab::sleep_for(std::chrono::seconds(1));
  REQUIRE(fake_student::Answer() == first);
}
