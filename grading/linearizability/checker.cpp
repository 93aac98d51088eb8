#include "grading/linearizability/checker.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lab::linearizability::detail {

namespace {

int WorkerCount(const CheckOptions& options, std::size_t partitions) {
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  return static_cast<int>(std::min<std::size_t>(threads, std::max<std::size_t>(partitions, 1)));
}

}  // namespace

std::vector<SearchResult> RunSearches(const std::vector<SearchProblem>& problems,
                                      const CheckOptions& options, bool* timed_out) {
  std::vector<SearchResult> results(problems.size());
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next_problem{0};

  // Protected by mutex: the count of finished searches and whether one was illegal.
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t finished = 0;
  bool illegal_found = false;

  auto worker = [&] {
    for (;;) {
      const std::size_t i = next_problem.fetch_add(1);
      if (i >= problems.size()) return;
      results[i] = Search(problems[i], options.verbose, stop);
      std::lock_guard<std::mutex> lock(mutex);
      ++finished;
      illegal_found |= results[i].outcome == SearchOutcome::kNotLinearizable;
      changed.notify_all();
    }
  };

  std::vector<std::thread> workers;
  const int worker_count = WorkerCount(options, problems.size());
  for (int i = 0; i < worker_count; ++i) workers.emplace_back(worker);

  {
    // Wait until every search finished, or (not verbose) one is illegal, or the time is up.
    auto done = [&] { return finished == problems.size() || (!options.verbose && illegal_found); };
    std::unique_lock<std::mutex> lock(mutex);
    bool in_time = true;
    if (options.timeout.count() > 0) {
      const auto deadline =
          std::chrono::steady_clock::now() +
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(options.timeout);
      in_time = changed.wait_until(lock, deadline, done);
    } else {
      changed.wait(lock, done);
    }
    *timed_out = !in_time;
  }
  // Unfinished searches (timeout, or no longer needed) return kStopped promptly.
  stop.store(true);
  for (std::thread& t : workers) t.join();
  return results;
}

}  // namespace lab::linearizability::detail
