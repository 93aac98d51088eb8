// Deliberately hostile "student code", for testing the grader (never run by ctest).
//
// Each test below does something a student's code might do, by accident or on purpose, to a
// test that it cannot pass honestly. It is linked with the real shared test main, so these
// runs exercise the real completion channel. grader_fake.json (beside this file) lists them;
// every one but TestHonestPass and TestAnswer must score zero, with a reason, while the grader
// carries on with the next run. Run them with
//   ./lab grade --manifest grading/tests/grader_fake.json
#include <sys/types.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "grading/tests/fake_student/answer.h"
#include "labrpc/labrpc.h"
#include "labrpc/testing/test.h"

namespace {

// The value of `--flag` on this process's command line as the kernel shows it, or "".
std::string FromOwnCommandLine(const std::string& flag) {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  std::string::size_type start = 0;
  for (std::string::size_type i = 0; i < all.size(); ++i) {
    if (all[i] == '\0') {
      args.push_back(all.substr(start, i - start));
      start = i + 1;
    }
  }
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) return args[i + 1];
  }
  return "";
}

}  // namespace

// The honest baseline: must pass.
LAB_TEST("TestHonestPass", "[grader_fake]") {
  lab::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(1 + 1 == 2);
}

// Depends on the student file (fake_student/answer.cpp): passes only with a correct answer.
LAB_TEST("TestAnswer", "[grader_fake]") { REQUIRE(fake_student::Answer() == 42); }

// An honest failure: zero, with Catch2's message as the reason.
LAB_TEST("TestHonestFail", "[grader_fake]") {
  const int leader = -1;
  REQUIRE(leader >= 0);
}

// Ends the process "successfully" in the middle of a simulated test.
LAB_TEST("TestExitZeroInTask", "[grader_fake]") { std::exit(0); }

// Ends the process successfully from plain test code, skipping every destructor.
TEST_CASE("TestExitZero", "[grader_fake]") { std::_Exit(0); }

// Prints what a passing run looks like, including a guessed completion record, then leaves.
TEST_CASE("TestFakePassLine", "[grader_fake]") {
  std::printf("Test (2A): initial election ...\n  ... Passed --   3.5  3   60   16724    0\n");
  std::printf(
      "{\"nonce\": \"00000000\", \"seed\": 1, \"failed\": 0, \"tests\": "
      "[{\"name\": \"TestFakePassLine\", \"passed\": true, \"seconds\": 1.0}]}\n");
  std::printf(
      "===============================================================================\n"
      "All tests passed (1 assertion in 1 test case)\n");
  std::fflush(stdout);
  std::_Exit(0);
}

// Reads the nonce and fd off its own command line (/proc/self/cmdline) and writes a forged
// passing record. Scores zero only if the test main scrubs the nonce from its argv.
TEST_CASE("TestForgeRecord", "[grader_fake]") {
  const std::string nonce = FromOwnCommandLine("--grader-nonce");
  const std::string fd = FromOwnCommandLine("--grader-fd");
  if (!fd.empty() && !nonce.empty()) {
    const std::string seed = FromOwnCommandLine("--seed");
    const std::string line = "{\"nonce\": \"" + nonce + "\", \"seed\": " + seed +
                             ", \"failed\": 0, \"tests\": [{\"name\": \"TestForgeRecord\", "
                             "\"passed\": true, \"seconds\": 0.1}]}\n";
    const ssize_t written = write(std::atoi(fd.c_str()), line.data(), line.size());
    (void)written;
  }
  std::_Exit(0);
}

TEST_CASE("TestAbort", "[grader_fake]") { std::abort(); }

TEST_CASE("TestSegfault", "[grader_fake]") {
  volatile int* nowhere = nullptr;
  *nowhere = 1;
}

// Blocks forever in real time: only the grader's per-run timeout ends it.
TEST_CASE("TestHang", "[grader_fake]") {
  for (;;) pause();
}

// Allocates and touches memory without end: the address-space limit turns it into
// std::bad_alloc instead of a machine that swaps itself to death.
TEST_CASE("TestRunawayMemory", "[grader_fake]") {
  std::vector<std::vector<char>> hoard;
  for (;;) hoard.emplace_back(64 << 20, 'x');
}

// The same, inside a simulated task.
LAB_TEST("TestRunawayMemoryInTask", "[grader_fake]") {
  std::vector<std::vector<char>> hoard;
  for (;;) hoard.emplace_back(64 << 20, 'x');
}

// Prints without end: the output-size limit stops it (SIGXFSZ) before the disk fills.
TEST_CASE("TestOutputFlood", "[grader_fake]") {
  const std::string line(1023, 'y');
  for (;;) std::puts(line.c_str());
}

// Passes, then crashes while the process shuts down (a static destructor, an atexit handler).
TEST_CASE("TestCrashAfterPass", "[grader_fake]") {
  std::atexit([] { std::abort(); });
  REQUIRE(true);
}
