// Hostile submission: includes one instructor-only file by its absolute path, so that the
// compiler quotes it in the build output the student sees. The test submits it once per file
// of the instructors' tree that the public tree lacks. See README.md.
#include "grading/tests/fake_student/answer.h"

namespace fake_student {
int Answer() { return 42; }
}  // namespace fake_student

#include "@INSTRUCTOR_FILE@"
