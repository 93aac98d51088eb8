// crash: like nocrash, but each Map and Reduce call may crash the worker (33%) or stall it for
// up to 10 seconds (33%). The coordinator must notice and give the task to another worker.
#include "mapreduce/apps/app.h"
#include "mapreduce/apps/crash_app.h"

std::vector<mr::KeyValue> Map(const std::string& filename, const std::string& contents) {
  return mr::apps::CrashAppMap(/*faults=*/true, filename, contents);
}

std::string Reduce(const std::string& /*key*/, const std::vector<std::string>& values) {
  return mr::apps::CrashAppReduce(/*faults=*/true, values);
}
