// mrcoordinator: starts the coordinator of one MapReduce job and waits until it is done.
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   mrcoordinator ../pg-*.txt
//
// Makes a Coordinator (mapreduce/coordinator.h) for the input files with 10 reduce tasks, asks
// Done() once a second, and exits one second after Done() first returns true. Workers find
// the coordinator at CoordinatorSock() (mapreduce/framework/socket_path.h).
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "coordinator.h"  // the student's, or the reference solution's (see CMakeLists.txt)
#include "mapreduce/framework/socket_path.h"
#include "mapreduce/framework/unimplemented.h"

namespace {

constexpr int kNReduce = 10;

[[noreturn]] void ExitNow(int status) {
  // The coordinator is never destroyed: its handler threads may still be running, exactly as
  // the original's goroutines are when its process exits. The socket goes first, so workers
  // see at once that the coordinator is gone.
  ::unlink(mr::CoordinatorSock().c_str());
  std::fflush(nullptr);
  std::_Exit(status);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "Usage: mrcoordinator inputfiles...\n");
    return 1;
  }
  ::signal(SIGPIPE, SIG_IGN);  // a peer that vanishes must not kill the coordinator
  std::vector<std::string> files(argv + 1, argv + argc);
  try {
    std::unique_ptr<mr::Coordinator> coordinator = mr::MakeCoordinator(files, kNReduce);
    while (!coordinator->Done()) std::this_thread::sleep_for(std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::seconds(1));
    [[maybe_unused]] mr::Coordinator* never_destroyed = coordinator.release();  // see ExitNow
  } catch (const mr::NotImplemented& e) {
    std::fprintf(stderr, "mrcoordinator: %s\n", e.what());
    ExitNow(mr::kNotImplementedExitStatus);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mrcoordinator: uncaught exception: %s\n", e.what());
    ExitNow(1);
  }
  ExitNow(0);
}
