// The shared body of the crash and nocrash apps: the same output, with or without faults.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Map emits ("a", filename), ("b", length of filename), ("c", length of contents) and
// ("d", "xyzzy"); Reduce returns the values sorted and joined by spaces. With faults on, both
// first call MaybeCrash() (maybe_crash.h).
#ifndef MAPREDUCE_APPS_CRASH_APP_H_
#define MAPREDUCE_APPS_CRASH_APP_H_

#include <algorithm>
#include <string>
#include <vector>

#include "mapreduce/apps/maybe_crash.h"
#include "mapreduce/framework/keyvalue.h"

namespace mr::apps {

inline std::vector<KeyValue> CrashAppMap(bool faults, const std::string& filename,
                                         const std::string& contents) {
  if (faults) MaybeCrash();
  return {{"a", filename},
          {"b", std::to_string(filename.size())},
          {"c", std::to_string(contents.size())},
          {"d", "xyzzy"}};
}

inline std::string CrashAppReduce(bool faults, const std::vector<std::string>& values) {
  if (faults) MaybeCrash();
  std::vector<std::string> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::string result;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) result += " ";
    result += sorted[i];
  }
  return result;
}

}  // namespace mr::apps

#endif  // MAPREDUCE_APPS_CRASH_APP_H_
