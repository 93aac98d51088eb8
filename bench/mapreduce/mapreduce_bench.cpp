// The MapReduce benchmark: one run of the whole test driver (bin/mapreduce_tests, tests one
// after another as in the original) on the reference solution. The original
// test-mr.sh took 112 s of wall time and 29 s of CPU time on this kind of machine (Go 1.19,
// no race detector); the target is to be no slower. CPU time is that of the driver and every
// process it started (coordinators, workers, mrsequential).
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/runtime/bench_util.h"

int main() {
  constexpr double kGoWallSeconds = 112;
  std::string bin = std::filesystem::read_symlink("/proc/self/exe").parent_path().string();
  std::string driver = bin + "/mapreduce_tests";
  // A build of the student files that also has the reference (the instructors' tree) tests
  // the reference; otherwise the driver tests what was built (the reference in a
  // LAB_SOLUTION build, the student's code in a handout).
  std::vector<std::string> args = {driver};
  if (std::filesystem::exists(bin + "/mrcoordinator_solution")) args.emplace_back("--solution");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, driver.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "mapreduce_bench: cannot start %s\n", driver.c_str());
    return 1;
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  double wall = bench::Seconds(start);
  // The driver's own time plus that of every process it waited for.
  rusage children{};
  getrusage(RUSAGE_CHILDREN, &children);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  double cpu = seconds(children.ru_utime) + seconds(children.ru_stime);
  bool passed = WIFEXITED(status) && WEXITSTATUS(status) == 0;

  std::printf("\nmapreduce_bench: the driver %s\n", passed ? "passed" : "FAILED");
  bench::Report("whole driver run, wall seconds", wall, "s", "<= 112 s (Go script)",
                wall <= kGoWallSeconds);
  bench::Report("whole driver run, CPU seconds (all processes)", cpu, "s", "- (Go 29 s)", true);
  return passed ? 0 : 1;
}
