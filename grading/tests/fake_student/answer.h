// The fake lab's one "student file" pair, for the grader's own tests (submission, Gradescope).
// The stub below is wrong on purpose; grading/tests/test_gradescope.py submits a fixed one.
#ifndef GRADING_TESTS_FAKE_STUDENT_ANSWER_H_
#define GRADING_TESTS_FAKE_STUDENT_ANSWER_H_

namespace fake_student {

// The answer TestAnswer expects (42).
int Answer();

}  // namespace fake_student

#endif  // GRADING_TESTS_FAKE_STUDENT_ANSWER_H_
