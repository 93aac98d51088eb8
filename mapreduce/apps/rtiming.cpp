// rtiming: checks that reduce tasks run in parallel. Map emits ten keys "a".."j" (so every
// reduce task has work); Reduce returns how many workers were in the reduce phase with it.
#include <string>
#include <vector>

#include "mapreduce/apps/app.h"
#include "mapreduce/apps/nparallel.h"

std::vector<mr::KeyValue> Map(const std::string& /*filename*/, const std::string& /*contents*/) {
  std::vector<mr::KeyValue> pairs;
  for (char key = 'a'; key <= 'j'; ++key) pairs.push_back({std::string(1, key), "1"});
  return pairs;
}

std::string Reduce(const std::string& /*key*/, const std::vector<std::string>& /*values*/) {
  return std::to_string(mr::apps::NParallel("reduce"));
}
