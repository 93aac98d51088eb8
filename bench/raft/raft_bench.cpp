// The Raft benchmark: the whole graded suite (2A-2D) on the reference solution in the
// simulator, one part at a time, as bin/raft_reference_tests "[2X]" --seed 1. For each part it
// reports the wall time and CPU time of the run against the virtual time the tests simulated
// (the sum of the "Passed -- <seconds>" figures the tester prints) and against the original Go
// suite's figures on this kind of machine (docs/architecture.md, "Targets"). Targets for the
// whole suite: wall time under 1% of virtual time, CPU time under Go's, and every run under
// 512 MiB of memory.
//
// raft_bench --recording [BASELINE]: what the event record (labrpc/record.h) costs. Each part
// runs with recording off (a plain run) and on (LAB_TIMELINE_ON_FAILURE=1: every event is
// recorded, and a page written only for a failing test), and, given BASELINE, a
// raft_reference_tests built without the recorder (e.g. from an older commit), five times each
// interleaved; the smallest CPU time of the five counts. Target: off within 3% of BASELINE (the
// noise of one run), i.e. off costs nothing measurable.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/runtime/suite_bench.h"

namespace {

struct Part {
  const char* tag;
  double go_wall_s;  // the original suite, Go 1.19, 2 cores
  double go_cpu_s;
};

constexpr Part kParts[] = {
    {"2A", 13.3, 0.07}, {"2B", 34.7, 0.48}, {"2C", 111.6, 4.8}, {"2D", 151.5, 1.9}};

// The smaller CPU time of `rounds` runs of each variant, interleaved so that a slow spell of
// the machine hits every variant alike.
struct Variant {
  std::string binary;
  std::string env;
  double cpu_s = 0;  // summed over the parts
  double max_rss_mib = 0;
  bool passed = true;
};

int RecordingCost(const std::string& binary, const std::string& baseline) {
  if (!baseline.empty() && !std::filesystem::is_regular_file(baseline)) {
    std::fprintf(stderr, "raft_bench: no baseline test binary at %s\n", baseline.c_str());
    return 2;
  }
  constexpr int kRounds = 5;
  std::vector<Variant> variants = {{binary, ""}, {binary, "LAB_TIMELINE_ON_FAILURE=1"}};
  if (!baseline.empty()) variants.push_back({baseline, ""});
  std::printf("raft_bench --recording: %s, seed 1, min CPU of %d runs\n", binary.c_str(), kRounds);
  if (!baseline.empty()) std::printf("baseline (no recorder): %s\n", baseline.c_str());
  std::printf("\n%-5s %12s %12s %10s%s\n", "part", "off CPU s", "on CPU s", "on/off",
              baseline.empty() ? "" : "  baseline CPU s    off/baseline");
  for (const Part& part : kParts) {
    const std::string filter = std::string("[") + part.tag + "]";
    std::vector<double> best(variants.size(), 1e300);
    for (int round = 0; round < kRounds; ++round) {
      for (std::size_t v = 0; v < variants.size(); ++v) {
        const bench::SuiteRun m = bench::RunSuite(variants[v].binary, filter, "", variants[v].env);
        best[v] = std::min(best[v], m.cpu_s);
        variants[v].passed = variants[v].passed && m.passed;
        variants[v].max_rss_mib = std::max(variants[v].max_rss_mib, m.max_rss_mib);
      }
    }
    for (std::size_t v = 0; v < variants.size(); ++v) variants[v].cpu_s += best[v];
    std::printf("%-5s %12.3f %12.3f %10.3f", part.tag, best[0], best[1], best[1] / best[0]);
    if (!baseline.empty()) std::printf("  %14.3f %15.3f", best[2], best[0] / best[2]);
    std::printf("\n");
  }
  std::printf("\n");
  bool passed = true;
  for (const Variant& v : variants) passed = passed && v.passed;
  if (!passed) std::printf("raft_bench: some runs FAILED\n");
  const Variant& off = variants[0];
  const Variant& on = variants[1];
  bench::Report("whole suite, CPU seconds, recording off", off.cpu_s, "s", "-", true);
  bench::Report("whole suite, CPU seconds, recording on", on.cpu_s, "s", "-", true);
  bench::Report("recording on / off, CPU", on.cpu_s / off.cpu_s, "x", "-", true);
  bench::Report("recording on, max RSS", on.max_rss_mib, "MiB", "< 512 MiB", on.max_rss_mib < 512);
  if (!baseline.empty()) {
    const double ratio = off.cpu_s / variants[2].cpu_s;
    bench::Report("recording off / baseline, CPU", ratio, "x", "< 1.03", ratio < 1.03);
    passed = passed && ratio < 1.03;
  }
  return passed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string binary = bench::SiblingBinary("raft_reference_tests");
  if (argc >= 2 && std::string(argv[1]) == "--recording" && argc <= 3) {
    return RecordingCost(binary, argc == 3 ? argv[2] : "");
  }
  if (argc != 1) {
    std::fprintf(stderr, "usage: raft_bench [--recording [BASELINE_RAFT_REFERENCE_TESTS]]\n");
    return 2;
  }
  const auto& parts = kParts;

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
