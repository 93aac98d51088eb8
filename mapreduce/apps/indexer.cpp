// indexer: an inverted index. Map emits (word, document) once per distinct word of the
// document; Reduce outputs "<number of documents> <documents sorted, comma-separated>".
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "mapreduce/apps/app.h"
#include "mapreduce/apps/words.h"

std::vector<mr::KeyValue> Map(const std::string& filename, const std::string& contents) {
  std::vector<std::string_view> words = mr::apps::SplitWords(contents);
  std::set<std::string_view> distinct(words.begin(), words.end());
  std::vector<mr::KeyValue> pairs;
  pairs.reserve(distinct.size());
  for (std::string_view word : distinct) pairs.push_back({std::string(word), filename});
  return pairs;
}

std::string Reduce(const std::string& /*key*/, const std::vector<std::string>& values) {
  std::vector<std::string> documents = values;
  std::sort(documents.begin(), documents.end());
  std::string result = std::to_string(documents.size()) + " ";
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) result += ",";
    result += documents[i];
  }
  return result;
}
