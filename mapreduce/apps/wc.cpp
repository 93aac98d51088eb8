// wc: word count. Map emits (word, "1") for every word; Reduce counts the values.
#include <string>
#include <vector>

#include "mapreduce/apps/app.h"
#include "mapreduce/apps/words.h"

std::vector<mr::KeyValue> Map(const std::string& /*filename*/, const std::string& contents) {
  std::vector<mr::KeyValue> pairs;
  for (std::string_view word : mr::apps::SplitWords(contents)) {
    pairs.push_back({std::string(word), "1"});
  }
  return pairs;
}

std::string Reduce(const std::string& /*key*/, const std::vector<std::string>& values) {
  return std::to_string(values.size());
}
