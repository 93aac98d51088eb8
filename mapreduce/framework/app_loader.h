// Loading a MapReduce application (wc.so, indexer.so, ...) with dlopen (Go's loadPlugin).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// An application exports `Map` and `Reduce` with C linkage and the signatures declared in
// mapreduce/apps/app.h. A path without a slash is taken relative to the current directory,
// as Go's plugin.Open does (dlopen alone would search the library path instead).
#ifndef MAPREDUCE_FRAMEWORK_APP_LOADER_H_
#define MAPREDUCE_FRAMEWORK_APP_LOADER_H_

#include <stdexcept>
#include <string>

#include "mapreduce/framework/keyvalue.h"

namespace mr {

class AppLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct App {
  MapFunc map;
  ReduceFunc reduce;
};

// Loads the library at `path` and finds its two functions. The library stays loaded for the
// life of the process. Throws AppLoadError: "cannot load plugin <path>: <reason>", "cannot
// find Map in <path>" or "cannot find Reduce in <path>".
App LoadApp(const std::string& path);

}  // namespace mr

#endif  // MAPREDUCE_FRAMEWORK_APP_LOADER_H_
