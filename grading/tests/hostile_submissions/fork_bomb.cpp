// Hostile submission: a fork bomb, in TestAnswer only (so that it costs one run's time limit).
// The grading user's process limit stops it; the time limit ends the run, and every process
// of the user is killed with it. See README.md.
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

#include "grading/tests/fake_student/answer.h"

namespace fake_student {

int Answer() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string command_line((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
  if (command_line.find("TestAnswer") != std::string::npos) {
    for (;;) fork();
  }
  return 42;
}

}  // namespace fake_student
