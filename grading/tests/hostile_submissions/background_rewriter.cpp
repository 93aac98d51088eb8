// Hostile submission: leaves a daemon behind (its own session, two forks deep, deaf to the
// polite signals) that keeps rewriting results.json for a minute, long after its run ended.
// Then it answers honestly. See README.md.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "grading/tests/fake_student/answer.h"

#define AUTOGRADER_ROOT "@AUTOGRADER_ROOT@"

namespace fake_student {
namespace {

[[noreturn]] void Rewrite() {
  const std::string path = std::string(AUTOGRADER_ROOT) + "/results/results.json";
  for (int i = 0; i < 1200; ++i) {
    if (FILE* f = std::fopen(path.c_str(), "w")) {
      std::fputs("{\"score\": 100.0, \"output\": \"FORGED-BY-DAEMON\", \"tests\": []}\n", f);
      std::fclose(f);
    }
    usleep(50 * 1000);
  }
  _exit(0);
}

void LeaveDaemon() {
  if (fork() != 0) return;
  setsid();
  if (fork() != 0) _exit(0);
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  Rewrite();
}

}  // namespace

int Answer() {
  static const bool started = (LeaveDaemon(), true);
  return started ? 42 : 0;
}

}  // namespace fake_student
