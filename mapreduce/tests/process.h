// Child processes for the MapReduce test driver: start a program with its output in a log
// file and a time limit, wait for it, wait for the first of several.
//
// The time limit works like the original script's `timeout -k 2s <limit>`: SIGTERM when the
// limit passes, SIGKILL two seconds later if the process is still there. A supervisor thread
// reaps every child and enforces the limits whether or not anyone is waiting.
//
// Thread safety: every function may be called from any thread.
#ifndef MAPREDUCE_TESTS_PROCESS_H_
#define MAPREDUCE_TESTS_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace mr::testing {

struct ProcessSpec {
  std::string name;               // for messages: "coordinator", "worker 2", ...
  std::vector<std::string> argv;  // argv[0] is the program's path
  std::string cwd;                // absolute
  std::vector<std::string> env;   // "NAME=value", added to (or replacing in) the driver's own
  std::string log_path;           // absolute; stdout and stderr are appended here
  std::chrono::seconds time_limit{45};
};

class Process;
std::size_t WaitAny(const std::vector<std::shared_ptr<Process>>& processes);

class Process {
 public:
  // Starts the program. Throws std::runtime_error if it cannot be started.
  static std::shared_ptr<Process> Start(const ProcessSpec& spec);

  ~Process();  // REQUIRES: the process has exited (call Wait first)
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  const std::string& name() const { return name_; }
  const std::string& log_path() const { return log_path_; }
  pid_t pid() const { return pid_; }

  bool Exited() const;
  // Blocks until the process has exited; returns its wait status.
  int Wait();
  // Sends SIGKILL if it is still running, then waits.
  void Kill();

  // After exit: true if it exited with status 0.
  bool Succeeded() const;
  // "exited with status 2", "killed by signal 9 (SIGKILL) after its 45 s time limit", ...
  std::string Describe() const;

 private:
  friend class Supervisor;
  friend std::size_t WaitAny(const std::vector<std::shared_ptr<Process>>& processes);
  Process() = default;

  std::string name_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::seconds time_limit_{0};
  // Written by the supervisor under its mutex.
  bool exited_ = false;
  int status_ = 0;
  bool timed_out_ = false;
  bool terminated_ = false;  // SIGTERM sent
};

// Blocks until at least one of `processes` has exited; returns the index of one that has.
// REQUIRES: !processes.empty().
std::size_t WaitAny(const std::vector<std::shared_ptr<Process>>& processes);

}  // namespace mr::testing

#endif  // MAPREDUCE_TESTS_PROCESS_H_
