// The Raft benchmark: the whole graded suite (2A-2D) on the reference solution in the
// simulator, one part at a time, as bin/raft_reference_tests "[2X]" --seed 1. For each part it
// reports the wall time and CPU time of the run against the virtual time the tests simulated
// (the sum of the "Passed -- <seconds>" figures the tester prints) and against the original Go
// suite's figures on this kind of machine (docs/architecture.md, "Targets"). Targets for the
// whole suite: wall time under 1% of virtual time, CPU time under Go's, and every run under
// 512 MiB of memory.
#include <algorithm>
#include <cstdio>
#include <string>

#include "bench/runtime/suite_bench.h"

namespace {

struct Part {
  const char* tag;
  double go_wall_s;  // the original suite, Go 1.19, 2 cores
  double go_cpu_s;
};

}  // namespace

int main() {
  const std::string binary = bench::SiblingBinary("raft_reference_tests");
  const Part parts[] = {
      {"2A", 13.3, 0.07}, {"2B", 34.7, 0.48}, {"2C", 111.6, 4.8}, {"2D", 151.5, 1.9}};

  std::printf("raft_bench: %s, seed 1, one part at a time\n\n", binary.c_str());
  std::printf("%-5s %10s %10s %12s %10s %12s %12s\n", "part", "wall s", "CPU s", "virtual s",
              "wall/virt", "Go wall s", "Go CPU s");
  bench::SuiteRun total;
  total.passed = true;
  double go_cpu_total = 0;
  for (const Part& part : parts) {
    const bench::SuiteRun m = bench::RunSuite(binary, std::string("[") + part.tag + "]");
    std::printf("%-5s %10.3f %10.3f %12.1f %9.3f%% %12.1f %12.2f%s\n", part.tag, m.wall_s, m.cpu_s,
                m.virtual_s, m.virtual_s > 0 ? 100 * m.wall_s / m.virtual_s : 0.0, part.go_wall_s,
                part.go_cpu_s, m.passed ? "" : "   FAILED");
    total.passed = total.passed && m.passed;
    total.wall_s += m.wall_s;
    total.cpu_s += m.cpu_s;
    total.virtual_s += m.virtual_s;
    total.max_rss_mib = std::max(total.max_rss_mib, m.max_rss_mib);
    go_cpu_total += part.go_cpu_s;
  }
  std::printf("\n");
  if (!total.passed) std::printf("raft_bench: the reference FAILED some tests (see above)\n");
  bench::Report("whole suite, wall time / virtual time", 100 * total.wall_s / total.virtual_s, "%",
                "< 1%", total.wall_s < 0.01 * total.virtual_s);
  bench::Report("whole suite, CPU seconds", total.cpu_s, "s", "< 7.25 s (Go CPU)",
                total.cpu_s < go_cpu_total);
  bench::Report("whole suite, wall seconds", total.wall_s, "s", "- (Go 311 s)", true);
  bench::Report("largest test binary run, max RSS", total.max_rss_mib, "MiB", "< 512 MiB",
                total.max_rss_mib < 512);
  return total.passed ? 0 : 1;
}
