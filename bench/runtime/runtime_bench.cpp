// Simulator benchmarks: task switches per second, tasks spawned per second, and the memory
// of 10,000 idle tasks. Run with `./lab bench` (release build).
#include <cstdio>
#include <vector>

#include "bench/runtime/bench_util.h"
#include "labrpc/labrpc.h"
#include "labrpc/runtime/run.h"

namespace {

// Two tasks yield to each other: every yield is one switch into a task.
void BenchSwitches() {
  constexpr int kTasks = 2;
  constexpr int kYields = 5'000'000;
  lab::RunResult result;
  const bench::Stopwatch watch;
  result = lab::Run(lab::RunOptions{}, [] {
    lab::TaskScope scope("yielders");
    for (int t = 0; t < kTasks; t++) {
      scope.Go("yielder", [] {
        for (int i = 0; i < kYields; i++) lab::yield();
      });
    }
    scope.Wait();
  });
  const double rate = static_cast<double>(result.switches) / watch.Cpu();
  bench::Report("task switches per CPU second", rate / 1e6, "million", ">= 10 million/s",
                rate >= 10e6);
  std::printf("%-44s %14.3f %-10s\n", "  (per wall second)",
              static_cast<double>(result.switches) / watch.Wall() / 1e6, "million");
}

void BenchSpawns() {
  constexpr int kSpawns = 1'000'000;
  const bench::Stopwatch watch;
  lab::Run(lab::RunOptions{}, [] {
    int done = 0;
    lab::TaskScope scope("spawned");
    for (int i = 0; i < kSpawns; i++) {
      scope.Go("short", [&done] { done++; });
      if (i % 1000 == 999) scope.Wait();  // keep the live set small, as real code does
    }
    scope.Wait();
    if (done != kSpawns) std::printf("error: %d tasks ran, expected %d\n", done, kSpawns);
  });
  const double rate = kSpawns / watch.Cpu();
  bench::Report("tasks spawned and run per CPU second", rate / 1e6, "million", "-", true);
}

void BenchIdleMemory() {
  constexpr int kTasks = 10'000;
  double before = 0;
  double with_tasks = 0;
  lab::Run(lab::RunOptions{}, [&] {
    lab::Chan<int> never;
    before = bench::RssMiB();
    lab::TaskScope scope("idle");
    for (int i = 0; i < kTasks; i++) {
      scope.Go("idle", [&never] { never.recv(); });
    }
    lab::sleep_for(std::chrono::milliseconds(1));  // let each one start and block
    with_tasks = bench::RssMiB();
  });
  const double used = with_tasks - before;
  bench::Report("memory for 10,000 idle tasks", used, "MiB", "< 256 MiB", used < 256);
  std::printf("%-44s %14.1f %-10s\n", "  per task", used * 1024 / kTasks, "KiB");
}

}  // namespace

int main() {
  std::printf("runtime_bench (simulated backend)\n");
  BenchSwitches();
  BenchSpawns();
  BenchIdleMemory();
  return 0;
}
