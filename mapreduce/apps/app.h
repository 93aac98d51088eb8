// The interface of a MapReduce application library (Go's plugin with Map and Reduce).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// An application is one .cpp file built as a shared library (see mapreduce/CMakeLists.txt)
// that includes this header and defines both functions. mrworker and mrsequential find them by
// name with dlsym, which is why they have C linkage; the header makes the compiler check that
// the definitions match these signatures exactly.
#ifndef MAPREDUCE_APPS_APP_H_
#define MAPREDUCE_APPS_APP_H_

#include <string>
#include <vector>

#include "mapreduce/framework/keyvalue.h"

extern "C" {
// Called once per input file with its name (as given to mrcoordinator) and whole contents.
std::vector<mr::KeyValue> Map(const std::string& filename, const std::string& contents);
// Called once per distinct key with every value emitted for it.
std::string Reduce(const std::string& key, const std::vector<std::string>& values);
}

using AppMapFunction = decltype(Map);
using AppReduceFunction = decltype(Reduce);

#endif  // MAPREDUCE_APPS_APP_H_
