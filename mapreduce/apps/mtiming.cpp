// mtiming: checks that map tasks run in parallel. Each Map call records when it started and
// how many workers were in the map phase with it; Reduce lists the values, sorted.
// Output lines: "times-<pid> <start> ..." and "parallel-<pid> <count> ...".
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "mapreduce/apps/app.h"
#include "mapreduce/apps/nparallel.h"

std::vector<mr::KeyValue> Map(const std::string& /*filename*/, const std::string& /*contents*/) {
  double start =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  int pid = getpid();
  int n = mr::apps::NParallel("map");
  char when[32];
  std::snprintf(when, sizeof when, "%.1f", start);
  return {{"times-" + std::to_string(pid), when},
          {"parallel-" + std::to_string(pid), std::to_string(n)}};
}

std::string Reduce(const std::string& /*key*/, const std::vector<std::string>& values) {
  std::vector<std::string> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::string result;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) result += " ";
    result += sorted[i];
  }
  return result;
}
