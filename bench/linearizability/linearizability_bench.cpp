// Benchmark of the linearizability checker on generated key/value histories: 10 to 50
// clients, 1,000 to 10,000 operations, legal and with one corrupted read (illegal), in three
// key layouts:
//   keys = clients      the kvraft "random keys" test (TestPersistPartitionUnreliable-
//                       Linearizable3A: 15 clients, keys 0..14)
//   keys = clients / 5  about five clients contending on each key
//   1 key               every client on one key: the search is exponential in the number
//                       of concurrent appends between two reads of a key (Porcupine's too),
//                       so this row shows where the limit is
//
//   linearizability_bench [--seed N] [--timeout S] [--quick]
//
// Prints one row per history: the result, and the wall and CPU time of a plain check and of
// a verbose one (what testers run, since a failure needs the visualization). Steps and
// cache entries are the plain check's; an Illegal plain check stops at the first bad key. A run
// that hits the timeout shows Unknown. Histories come from testing/random_history.h: each client's
// operations last 1-100 time units with 1-20 units between them, so most clients are in
// the middle of an operation at any moment.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "grading/linearizability/checker.h"
#include "grading/linearizability/kv_model.h"
#include "grading/linearizability/testing/random_history.h"

namespace {

namespace lin = lab::linearizability;
using lin::testing::Corruption;

struct Row {
  int clients;
  int operations;
  int keys;
  const char* variant;  // "legal" or a corruption name
};

struct Timing {
  lin::CheckResult result;
  double seconds;
  double cpu_seconds;  // all threads of the process; wall time suffers on a shared machine
  std::uint64_t steps;
  std::uint64_t cache_entries;
};

Timing TimeCheck(const std::vector<lin::KvOperation>& history, bool verbose, double timeout_s) {
  lin::CheckOptions options;
  options.verbose = verbose;
  options.timeout = std::chrono::duration<double>(timeout_s);
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const lin::LinearizationInfo info = lin::CheckOperationsVerbose(lin::KvModel(), history, options);
  Timing t{info.result,
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
           static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC, 0, 0};
  for (const auto& p : info.partitions) {
    t.steps += p.steps;
    t.cache_entries += p.cache_entries;
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seed = 1;
  double timeout_s = 30;
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--timeout" && i + 1 < argc) {
      timeout_s = std::strtod(argv[++i], nullptr);
    } else if (arg == "--quick") {
      quick = true;
    } else {
      std::fprintf(stderr, "usage: linearizability_bench [--seed N] [--timeout S] [--quick]\n");
      return 2;
    }
  }
  const std::vector<int> client_counts =
      quick ? std::vector<int>{10} : std::vector<int>{10, 20, 50};
  const std::vector<int> op_counts =
      quick ? std::vector<int>{1000} : std::vector<int>{1000, 5000, 10000};
  // 0 = one key per client, 5 = one key per five clients, -1 = a single key.
  const std::vector<int> key_layouts = {0, 5, -1};
  const std::vector<const char*> variants = {"legal", "stale read", "lost append",
                                             "impossible value"};

  std::printf("linearizability checker benchmark (seed %llu, timeout %.0f s per check)\n",
              static_cast<unsigned long long>(seed), timeout_s);
  std::printf("%7s %6s %4s  %-16s %-8s %8s %8s %10s %10s %10s %10s\n", "clients", "ops", "keys",
              "history", "result", "wall s", "cpu s", "verbose s", "vb cpu s", "steps", "cache");
  int wrong = 0;
  for (int layout : key_layouts) {
    for (int clients : client_counts) {
      for (int ops : op_counts) {
        const int keys = layout == 0 ? clients : layout > 0 ? clients / layout : 1;
        if (layout < 0 && (clients != 10 || ops != 1000)) continue;  // one key: smallest only
        for (const char* variant : variants) {
          std::mt19937_64 rng(seed * 7919 + clients * 131 + ops * 17 + keys);
          lin::testing::RandomHistoryOptions options;
          options.clients = clients;
          options.operations = ops;
          options.keys = keys;
          auto generated = lin::testing::RandomLegalHistory(options, rng);
          const bool legal = std::string(variant) == "legal";
          if (!legal) {
            Corruption corruption = Corruption::kImpossibleValue;
            if (std::string(variant) == "stale read") corruption = Corruption::kStaleRead;
            if (std::string(variant) == "lost append") corruption = Corruption::kLostAppend;
            if (lin::testing::Corrupt(generated, corruption, rng) < 0) {
              std::printf("%7d %6d %4d  %-16s (no place for this corruption)\n", clients, ops, keys,
                          variant);
              continue;
            }
          }
          const Timing plain = TimeCheck(generated.operations, false, timeout_s);
          const Timing verbose = TimeCheck(generated.operations, true, timeout_s);
          const lin::CheckResult expected =
              legal ? lin::CheckResult::kOk : lin::CheckResult::kIllegal;
          const bool ok = plain.result == expected && verbose.result == expected;
          const bool unknown = plain.result == lin::CheckResult::kUnknown ||
                               verbose.result == lin::CheckResult::kUnknown;
          if (!ok && !unknown) ++wrong;
          std::printf("%7d %6d %4d  %-16s %-8s %8.3f %8.3f %10.3f %10.3f %10llu %10llu%s\n",
                      clients, ops, keys, variant, lin::ToString(plain.result), plain.seconds,
                      plain.cpu_seconds, verbose.seconds, verbose.cpu_seconds,
                      static_cast<unsigned long long>(plain.steps),
                      static_cast<unsigned long long>(plain.cache_entries),
                      ok ? "" : (unknown ? "  (timed out)" : "  WRONG RESULT"));
          std::fflush(stdout);
        }
      }
    }
  }
  if (wrong > 0) {
    std::printf("%d wrong results\n", wrong);
    return 1;
  }
  return 0;
}
