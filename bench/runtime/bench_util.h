// Small helpers shared by the runtime benchmarks.
#ifndef BENCH_RUNTIME_BENCH_UTIL_H_
#define BENCH_RUNTIME_BENCH_UTIL_H_

#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

namespace bench {

inline double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// CPU time of the calling thread. The simulator runs a whole run on one thread, so on an idle
// machine this equals wall time; on a busy one (other builds running) it is the fair measure.
// Benchmarks judge targets on it and print wall time beside it.
inline double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Wall and CPU time of one measured section.
class Stopwatch {
 public:
  Stopwatch() : wall0_(std::chrono::steady_clock::now()), cpu0_(ThreadCpuSeconds()) {}
  double Wall() const { return Seconds(wall0_); }
  double Cpu() const { return ThreadCpuSeconds() - cpu0_; }

 private:
  std::chrono::steady_clock::time_point wall0_;
  double cpu0_;
};

// Resident set size of this process in MiB (from /proc/self/statm).
inline double RssMiB() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0;
  long pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
         (1024.0 * 1024.0);
}

// One result line: name, measured value, unit, target, and whether the target is met.
inline void Report(const char* name, double value, const char* unit, const char* target, bool met) {
  std::printf("%-44s %14.3f %-10s target %-22s %s\n", name, value, unit, target,
              met ? "ok" : "MISSED");
}

}  // namespace bench

#endif  // BENCH_RUNTIME_BENCH_UTIL_H_
