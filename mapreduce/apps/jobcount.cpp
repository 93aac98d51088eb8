// jobcount: counts how many times map tasks ran. Each Map call leaves a file
// mr-worker-jobcount-<pid>-<k> in the current directory and takes 2 to 5 seconds (well under
// the coordinator's 10-second timeout, so a correct coordinator never runs a task twice);
// Reduce returns the number of such files.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mapreduce/apps/app.h"

namespace {
std::atomic<int> map_calls{0};  // per process
}  // namespace

std::vector<mr::KeyValue> Map(const std::string& /*filename*/, const std::string& /*contents*/) {
  int k = map_calls++;
  std::ofstream("mr-worker-jobcount-" + std::to_string(getpid()) + "-" + std::to_string(k)) << "x";
  static thread_local std::mt19937 rng(std::random_device{}());
  int delay_ms = 2000 + std::uniform_int_distribution<int>(0, 2999)(rng);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  return {{"a", "x"}};
}

std::string Reduce(const std::string& /*key*/, const std::vector<std::string>& /*values*/) {
  int count = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(".", ec)) {
    if (entry.path().filename().string().rfind("mr-worker-jobcount", 0) == 0) ++count;
  }
  return std::to_string(count);
}
