#include "mapreduce/framework/app_loader.h"

#include <dlfcn.h>

#include "mapreduce/apps/app.h"

namespace mr {

App LoadApp(const std::string& path) {
  std::string to_open = path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = dlopen(to_open.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw AppLoadError("cannot load plugin " + path + ": " + (why ? why : "unknown error"));
  }
  // The casts are how dlsym is meant to be used: the library exports these exact signatures.
  auto* map = reinterpret_cast<AppMapFunction*>(dlsym(handle, "Map"));
  if (map == nullptr) throw AppLoadError("cannot find Map in " + path);
  auto* reduce = reinterpret_cast<AppReduceFunction*>(dlsym(handle, "Reduce"));
  if (reduce == nullptr) throw AppLoadError("cannot find Reduce in " + path);
  return App{map, reduce};
}

}  // namespace mr
