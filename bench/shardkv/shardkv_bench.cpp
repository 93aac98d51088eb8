// The lab 4 benchmark: the whole graded suite (4A, 4B, challenges) on the reference solutions
// in the simulator, the shard controller's suite and then shardkv's, as
// bin/shardkv_reference_tests "[4A]" --seed 1. For each it reports wall and CPU time against
// the virtual time the tests simulated (from the completion record: the testers print no
// times, as the originals) and against the original Go suites' wall time (1.8 s for
// shardctrler, 97 s with 33 s of CPU for shardkv). Targets: wall time under 1% of virtual time,
// the whole lab under 5 s, every run under 512 MiB.
#include <algorithm>
#include <cstdio>
#include <string>

#include "bench/runtime/suite_bench.h"

namespace {

struct Part {
  const char* name;
  const char* spec;  // Catch2 test spec
  double go_wall_s;  // the original suite, Go
};

}  // namespace

int main() {
  const std::string binary = bench::SiblingBinary("shardkv_reference_tests");
  const Part parts[] = {{"shardctrler (4A)", "[4A]", 1.8},
                        {"shardkv (4B + challenges)", "[4B],[challenge]", 97}};

  std::printf("shardkv_bench: %s, seed 1, one part at a time\n\n", binary.c_str());
  std::printf("%-26s %10s %10s %12s %10s %12s\n", "suite", "wall s", "CPU s", "virtual s",
              "wall/virt", "Go wall s");
  bench::SuiteRun total;
  total.passed = true;
  for (const Part& part : parts) {
    const bench::SuiteRun m = bench::RunSuiteRecorded(binary, part.spec);
    std::printf("%-26s %10.3f %10.3f %12.1f %9.3f%% %12.1f%s\n", part.name, m.wall_s, m.cpu_s,
                m.virtual_s, m.virtual_s > 0 ? 100 * m.wall_s / m.virtual_s : 0.0, part.go_wall_s,
                m.passed ? "" : "   FAILED");
    total.passed = total.passed && m.passed;
    total.wall_s += m.wall_s;
    total.cpu_s += m.cpu_s;
    total.virtual_s += m.virtual_s;
    total.max_rss_mib = std::max(total.max_rss_mib, m.max_rss_mib);
  }
  std::printf("\n");
  if (!total.passed) std::printf("shardkv_bench: the reference FAILED some tests (see above)\n");
  bench::Report("whole suite, wall time / virtual time", 100 * total.wall_s / total.virtual_s, "%",
                "< 1%", total.virtual_s > 0 && total.wall_s < 0.01 * total.virtual_s);
  bench::Report("whole lab 4, wall seconds", total.wall_s, "s", "< 5 s (Go ~99 s)",
                total.wall_s < 5);
  bench::Report("largest test binary run, max RSS", total.max_rss_mib, "MiB", "< 512 MiB",
                total.max_rss_mib < 512);
  return total.passed ? 0 : 1;
}
