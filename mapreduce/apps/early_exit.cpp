// early_exit: checks that no worker exits before the job is done. Map emits (filename, "1");
// Reduce sleeps 3 seconds for keys containing "sherlock" or "tom", so those reduce tasks
// finish late, then returns the number of values.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "mapreduce/apps/app.h"

std::vector<mr::KeyValue> Map(const std::string& filename, const std::string& /*contents*/) {
  return {{filename, "1"}};
}

std::string Reduce(const std::string& key, const std::vector<std::string>& values) {
  if (key.find("sherlock") != std::string::npos || key.find("tom") != std::string::npos) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
  }
  return std::to_string(values.size());
}
