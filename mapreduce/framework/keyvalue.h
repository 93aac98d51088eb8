// The data model of a MapReduce job: key/value pairs, the Map and Reduce function types, and
// the hash that picks a key's reduce task.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// An application (wc, indexer, ...) is a shared library exporting two functions with these
// signatures (see mapreduce/apps/app.h); mrworker loads it and hands them to your Worker().
#ifndef MAPREDUCE_FRAMEWORK_KEYVALUE_H_
#define MAPREDUCE_FRAMEWORK_KEYVALUE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mr {

// One intermediate or output pair (Go's mr.KeyValue).
struct KeyValue {
  std::string key;
  std::string value;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(KeyValue, key, value)

// Map(filename, contents): called once per input file, returns the pairs the file produces.
using MapFunc =
    std::function<std::vector<KeyValue>(const std::string& filename, const std::string& contents)>;

// Reduce(key, values): called once per distinct key with every value emitted for it (in no
// particular order); returns the value written to the output line "key result".
using ReduceFunc =
    std::function<std::string(const std::string& key, const std::vector<std::string>& values)>;

// Go's ihash: FNV-1a (32 bit) of the key, masked to a non-negative int. Use
// IHash(key) % n_reduce to choose the reduce task of a key emitted by Map.
inline int IHash(std::string_view key) {
  std::uint32_t hash = 2166136261u;  // FNV offset basis
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 16777619u;  // FNV prime
  }
  return static_cast<int>(hash & 0x7fffffffu);
}

}  // namespace mr

#endif  // MAPREDUCE_FRAMEWORK_KEYVALUE_H_
