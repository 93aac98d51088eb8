// nocrash: the crash app without faults; mrsequential runs it to make the crash test's
// expected output.
#include "mapreduce/apps/app.h"
#include "mapreduce/apps/crash_app.h"

std::vector<mr::KeyValue> Map(const std::string& filename, const std::string& contents) {
  return mr::apps::CrashAppMap(/*faults=*/false, filename, contents);
}

std::string Reduce(const std::string& /*key*/, const std::vector<std::string>& values) {
  return mr::apps::CrashAppReduce(/*faults=*/false, values);
}
