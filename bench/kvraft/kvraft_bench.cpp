// The kvraft benchmark: the whole graded suite (3A, 3B) on the reference solution in the
// simulator, one part at a time, as bin/kvraft_reference_tests "[3X]" --seed 1. For each part
// it reports wall and CPU time against the virtual time the tests simulated and against the
// original Go suite's figures on this kind of machine (docs/architecture.md, "Targets"):
// wall time under 1% of virtual time and under 10 s, CPU time under Go's, every run under
// 512 MiB.
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
  const std::string binary = bench::SiblingBinary("kvraft_reference_tests");
  const Part parts[] = {{"3A", 238, 200}, {"3B", 130, 60}};

  std::printf("kvraft_bench: %s, seed 1, one part at a time\n\n", binary.c_str());
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
  if (!total.passed) std::printf("kvraft_bench: the reference FAILED some tests (see above)\n");
  bench::Report("whole suite, wall time / virtual time", 100 * total.wall_s / total.virtual_s, "%",
                "< 1%", total.wall_s < 0.01 * total.virtual_s);
  bench::Report("whole suite, CPU seconds", total.cpu_s, "s", "< 260 s (Go CPU)",
                total.cpu_s < go_cpu_total);
  bench::Report("whole suite, wall seconds", total.wall_s, "s", "< 10 s (Go 368 s)",
                total.wall_s < 10);
  bench::Report("largest test binary run, max RSS", total.max_rss_mib, "MiB", "< 512 MiB",
                total.max_rss_mib < 512);
  return total.passed ? 0 : 1;
}
