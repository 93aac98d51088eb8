#include "mapreduce/apps/maybe_crash.h"

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

namespace mr::apps {

namespace {

// Uniform in [0, n), from std::random_device (the kernel's random source on Linux).
unsigned UniformBelow(unsigned n) {
  static thread_local std::random_device device;
  return std::uniform_int_distribution<unsigned>(0, n - 1)(device);
}

}  // namespace

void MaybeCrash() {
  unsigned r = UniformBelow(1000);
  if (r < 330) {
    std::_Exit(1);  // crash
  } else if (r < 660) {
    std::this_thread::sleep_for(std::chrono::milliseconds(UniformBelow(10'000)));
  }
}

}  // namespace mr::apps
