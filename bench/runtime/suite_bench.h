// Running a lab's whole graded suite (a reference test binary) for a benchmark: wall time, CPU
// time and peak memory of the child process, against the virtual time its tests simulated
// (the sum of the "  ... Passed -- <seconds>" figures every tester prints).
#ifndef BENCH_RUNTIME_SUITE_BENCH_H_
#define BENCH_RUNTIME_SUITE_BENCH_H_

#include <sys/resource.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/runtime/bench_util.h"

namespace bench {

struct SuiteRun {
  bool passed = false;
  double wall_s = 0;
  double cpu_s = 0;  // user + system time of the test binary
  double virtual_s = 0;
  double max_rss_mib = 0;  // the largest child process so far
};

inline double TimevalSeconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
}

// A binary next to this benchmark's own (bin/<name>).
inline std::string SiblingBinary(const std::string& name) {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().string() + "/" + name;
}

// Runs `binary '<filter>' --seed 1 <extra>` and measures it (extra: more arguments and
// redirections, as the shell reads them); `env` (e.g. "LAB_TIMELINE_ON_FAILURE=1") is set for
// the run.
inline SuiteRun RunSuite(const std::string& binary, const std::string& filter,
                         const std::string& extra = "", const std::string& env = "") {
  const std::string command = (env.empty() ? "" : "env " + env + " ") + "'" + binary + "' '" +
                              filter + "' --seed 1 " + extra + " 2>&1";
  SuiteRun m;
  rusage before{};
  getrusage(RUSAGE_CHILDREN, &before);
  const auto start = std::chrono::steady_clock::now();
  FILE* out = popen(command.c_str(), "r");
  if (out == nullptr) return m;
  std::array<char, 4096> line{};
  while (std::fgets(line.data(), line.size(), out) != nullptr) {
    double seconds = 0;
    if (std::sscanf(line.data(), "  ... Passed -- %lf", &seconds) == 1) m.virtual_s += seconds;
  }
  m.passed = pclose(out) == 0;
  m.wall_s = Seconds(start);
  rusage after{};
  getrusage(RUSAGE_CHILDREN, &after);
  m.cpu_s = TimevalSeconds(after.ru_utime) + TimevalSeconds(after.ru_stime) -
            TimevalSeconds(before.ru_utime) - TimevalSeconds(before.ru_stime);
  m.max_rss_mib = static_cast<double>(after.ru_maxrss) / 1024.0;
  return m;
}

// Like RunSuite, for suites whose testers print no virtual time (the original shardctrler and
// shardkv print a bare "  ... Passed"): the virtual time is the sum of the "virtual_seconds" of
// the completion record the test binary writes for the grader (--grader-fd).
inline SuiteRun RunSuiteRecorded(const std::string& binary, const std::string& filter) {
  const std::string record_path =
      (std::filesystem::temp_directory_path() / ("suite_bench_record_" + std::to_string(getpid())))
          .string();
  SuiteRun m =
      RunSuite(binary, filter, "--grader-fd 3 --grader-nonce bench 3>'" + record_path + "'");
  std::ifstream in(record_path);
  std::string line;
  if (std::getline(in, line)) {
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_object() && record.contains("tests")) {
      for (const nlohmann::json& test : record["tests"]) {
        m.virtual_s += test.value("virtual_seconds", 0.0);
      }
    }
  }
  std::filesystem::remove(record_path);
  return m;
}

}  // namespace bench

#endif  // BENCH_RUNTIME_SUITE_BENCH_H_
