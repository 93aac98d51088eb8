// TestEnv: the sandbox of one MapReduce test, and the helpers the tests are written with.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Each test gets a fresh temporary directory holding the eight inputs (pg-*.txt), a socket
// path of its own (so tests and whole driver runs can go in parallel, which the original's
// fixed socket name forbade), logs/ with one log file per process, and mr-tmp/, the working
// directory of every process, as in the original script (so Map sees "../pg-grimm.txt").
// The directory is removed when the test passes and kept, with its logs, when it fails.
#ifndef MAPREDUCE_TESTS_TEST_ENV_H_
#define MAPREDUCE_TESTS_TEST_ENV_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mapreduce/tests/process.h"
#include "mapreduce/textgen/textgen.h"

namespace mr::testing {

struct DriverConfig {
  std::string coordinator;  // absolute program paths
  std::string worker;
  std::string sequential;
  std::string app_dir;                         // holds wc.so, indexer.so, ...
  std::string work_root;                       // temporary directories go here
  std::string socket_override;                 // if set, every test uses this socket path
  std::chrono::seconds time_limit{45};         // per process (2023 script: 45 s)
  std::chrono::seconds crash_time_limit{120};  // per process in the crash test (2023: 120 s)
  bool keep = false;                           // keep directories of passing tests too
  std::uint64_t seed = 0;                      // seeds the garbage sender (0: the driver's pid)
  const textgen::Corpus* corpus = nullptr;
};

class TestEnv {
 public:
  using Emit = std::function<void(const std::string& line)>;

  // Creates the sandbox. Throws std::runtime_error if the directory cannot be made.
  TestEnv(const DriverConfig& config, std::string test_name, Emit emit);
  // Kills any process still running, then removes the directory unless the test failed (or
  // keep is set).
  ~TestEnv();
  TestEnv(const TestEnv&) = delete;
  TestEnv& operator=(const TestEnv&) = delete;

  // Output. Say prints a line; Fail prints it and marks the test failed.
  void Say(const std::string& line);
  void Fail(const std::string& line);
  bool failed() const { return failed_; }
  // The first Fail() line, without its "--- " (for the grader's record).
  const std::string& first_failure() const { return first_failure_; }

  const DriverConfig& config() const { return config_; }
  const std::string& socket_path() const { return socket_path_; }
  const std::string& work_dir() const { return work_dir_; }  // .../mr-tmp
  // The input files as the processes see them: "../pg-being_ernest.txt", ... (sorted).
  std::vector<std::string> InputArgs() const;

  std::shared_ptr<Process> StartCoordinator(std::chrono::seconds time_limit);
  std::shared_ptr<Process> StartWorker(const std::string& app, std::chrono::seconds time_limit);
  // Runs mrsequential with `app` on the inputs; Fail()s and returns false if it fails.
  bool RunSequential(const std::string& app);
  // Waits for every process this test started.
  void WaitAll() const;
  std::vector<std::shared_ptr<Process>> processes() const;

  // `cat mr-out*`: every line of every mr-out* file, files in name order.
  std::vector<std::string> OutputLines() const;
  // `sort mr-out* | grep .`: the non-empty lines, sorted (byte order).
  std::vector<std::string> SortedOutput() const;
  void RemoveOutputs();  // rm -f mr-out*
  // Saves lines to a file in the working directory (the original's mr-correct-wc.txt etc.).
  void SaveLines(const std::string& name, const std::vector<std::string>& lines) const;
  bool SocketExists() const;

  // Fails the test when `got` differs from `expected`, with `headline` and a short account of
  // the difference. Returns true when they are equal.
  bool ExpectSameLines(const std::vector<std::string>& expected,
                       const std::vector<std::string>& got, const std::string& headline);

  // The last lines of each non-empty process log (for failure reports).
  std::vector<std::string> LogTails() const;
  // True if a process log says a student stub is not implemented yet.
  bool SawNotImplemented() const;

 private:
  std::shared_ptr<Process> Start(const std::string& name, std::vector<std::string> argv,
                                 std::chrono::seconds time_limit);

  const DriverConfig& config_;
  const std::string test_name_;
  Emit emit_;
  std::string root_;      // the temporary directory
  std::string work_dir_;  // root_/mr-tmp
  std::string log_dir_;   // root_/logs
  std::string socket_path_;

  // Start may be called from several threads (the crash test's worker loops).
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Process>> processes_;  // guarded by mu_
  int workers_started_ = 0;                          // guarded by mu_
  bool failed_ = false;                              // written by the test's own thread only
  std::string first_failure_;                        // likewise
};

}  // namespace mr::testing

#endif  // MAPREDUCE_TESTS_TEST_ENV_H_
