#include "task_files.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mr {

std::string IntermediateName(int map_task, int reduce_task) {
  return "mr-" + std::to_string(map_task) + "-" + std::to_string(reduce_task);
}

std::string OutputName(int reduce_task) { return "mr-out-" + std::to_string(reduce_task); }

namespace {

// Builds the message outside the callers' loops.
[[noreturn]] void Throw(const std::string& what, const std::string& detail) {
  throw TaskFileError(what + ": " + detail);
}

}  // namespace

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TaskFileError("cannot open " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw TaskFileError("cannot read " + path);
  return std::move(contents).str();
}

void WriteFileAtomically(const std::string& path, const std::string& contents) {
  // Same directory as the destination, so that rename() cannot cross file systems. The name
  // must not start with "mr-out" (the tests read every mr-out* file).
  std::string temp = "mr-tmp-XXXXXX";
  int fd = mkstemp(temp.data());
  if (fd < 0) throw TaskFileError("mkstemp: " + std::string(std::strerror(errno)));
  std::string_view rest = contents;
  while (!rest.empty()) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      Throw("writing " + temp, why);
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd) != 0 || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw TaskFileError("cannot move " + temp + " to " + path + ": " + why);
  }
}

void WriteIntermediate(int map_task, int n_reduce, const std::vector<KeyValue>& pairs) {
  std::vector<std::string> buckets(static_cast<std::size_t>(n_reduce));
  for (const KeyValue& kv : pairs) {
    std::string& bucket = buckets[static_cast<std::size_t>(IHash(kv.key) % n_reduce)];
    bucket += nlohmann::json::array({kv.key, kv.value})
                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    bucket += '\n';
  }
  for (int y = 0; y < n_reduce; ++y) {
    WriteFileAtomically(IntermediateName(map_task, y), buckets[static_cast<std::size_t>(y)]);
  }
}

void ReadIntermediate(int n_map, int reduce_task, std::vector<KeyValue>* pairs) {
  for (int x = 0; x < n_map; ++x) {
    std::string name = IntermediateName(x, reduce_task);
    std::istringstream lines(ReadWholeFile(name));
    std::string line;
    while (std::getline(lines, line)) {
      nlohmann::json pair = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        Throw("malformed line in " + name, line);
      }
      pairs->push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    }
  }
}

}  // namespace mr
