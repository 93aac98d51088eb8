// mrworker: one worker process of a MapReduce job.
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   mrworker ../lib/wc.so
//
// Loads the application's Map and Reduce from the shared library and runs Worker()
// (mapreduce/worker.h) until it returns. Start as many as you like, at any time; each finds
// the coordinator at CoordinatorSock().
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "mapreduce/framework/app_loader.h"
#include "mapreduce/framework/unimplemented.h"
#include "worker.h"  // the student's, or the reference solution's (see CMakeLists.txt)

namespace {

[[noreturn]] void ExitNow(int status) {
  // Threads that Worker started may still run (the original's goroutines die with the
  // process too), so skip static destructors.
  std::fflush(nullptr);
  std::_Exit(status);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "Usage: mrworker xxx.so\n");
    return 1;
  }
  ::signal(SIGPIPE, SIG_IGN);
  try {
    mr::App app = mr::LoadApp(argv[1]);
    mr::Worker(app.map, app.reduce);
  } catch (const mr::AppLoadError& e) {
    std::fprintf(stderr, "mrworker: %s\n", e.what());
    ExitNow(1);
  } catch (const mr::NotImplemented& e) {
    std::fprintf(stderr, "mrworker: %s\n", e.what());
    ExitNow(mr::kNotImplementedExitStatus);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mrworker: uncaught exception: %s\n", e.what());
    ExitNow(1);
  }
  ExitNow(0);
}
