#include "mapreduce/apps/nparallel.h"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <thread>

namespace mr::apps {

int NParallel(const std::string& phase) {
  namespace fs = std::filesystem;
  const std::string prefix = "mr-worker-" + phase + "-";
  const std::string my_file = prefix + std::to_string(getpid());
  std::ofstream(my_file) << "x";

  int alive = 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(".", ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    // Like Go's Sscanf("%d"): a number must follow the prefix; trailing text is ignored.
    const char* digits = name.data() + prefix.size();
    std::int64_t pid = 0;
    auto [end, err] = std::from_chars(digits, name.data() + name.size(), pid);
    if (err != std::errc() || end == digits || pid <= 0) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0) ++alive;
  }

  std::this_thread::sleep_for(std::chrono::seconds(1));
  fs::remove(my_file, ec);
  return alive;
}

}  // namespace mr::apps
