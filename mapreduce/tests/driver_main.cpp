// mapreduce_tests: the MapReduce lab's test driver (the original's test-mr.sh and
// test-mr-many.sh in one program). `./lab test mapreduce` runs it.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// For the grader (grading/grader/__init__.py) it speaks the same protocol as the shared
// Catch2 main: --list-test-names-only lists the tests; with --grader-fd F --grader-nonce X,
// after the tests have ended it writes one JSON line {"nonce", "seed", "tests": [{"name",
// "passed", "seconds", "message"}], "failed"} to F. The fd is close-on-exec from the start,
// so no coordinator or worker process (student code) can ever write to it.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mapreduce/tests/mr_tests.h"
#include "mapreduce/textgen/textgen.h"

#ifndef MR_SOLUTION_BUILD
#define MR_SOLUTION_BUILD 0
#endif

namespace mr::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage = R"(Usage: mapreduce_tests [options] [NAME...]

Runs the MapReduce lab's tests (the original test-mr.sh) on bin/mrcoordinator, bin/mrworker
and bin/mrsequential of this build, with the apps in lib/.

  NAME...            run only the tests whose name contains one of the NAMEs, e.g. wc,
                     crash, "job count" (commas separate NAMEs too); default: all
  --list             list the tests and exit (also --list-test-names-only)
  --runs N           run the tests N times, stopping at the first failed trial
                     (test-mr-many.sh)
  -j, --jobs N       run up to N tests at once (each has its own directory and socket);
                     default 1, as the original
  --solution         test the reference solution instead of the student code
  --timeout S        time limit of every process in seconds (default 45, crash test 120)
  --socket PATH      the coordinator's socket path (default: one per test); implies -j 1
  --workdir DIR      where test directories are made (default: $TMPDIR or /tmp)
  --keep             keep the directories of passing tests too (failed ones are always kept)
  --bin-dir DIR      where the programs are (default: this program's directory)
  --app-dir DIR      where the apps (wc.so, ...) are (default: ../lib from --bin-dir)
  --seed N           accepted for ./lab; these tests run real processes, which no seed can
                     replay, so it only seeds the garbage sender (also --rng-seed)
  --real             accepted for the grader: these tests always run real processes
  --grader-fd F, --grader-nonce X
                     the grader's completion channel (see grading/grader/channel.py)
  -h, --help         this text
Options also take the form --option=value.
Catch2 options that ./lab may pass (--warn, --reporter, --out, --durations, --order,
--success, --check-determinism) are accepted and ignored; in NAMEs, '*' is ignored and a
[tag] matches every test.
)";

struct Options {
  std::vector<std::string> filters;
  bool list = false;
  int runs = 1;
  int jobs = 1;
  bool solution = false;
  std::optional<int> timeout;
  std::string socket;
  std::string workdir;
  bool keep = false;
  std::string bin_dir;
  std::string app_dir;
  std::uint64_t seed = 0;
  int grader_fd = -1;
  std::string grader_nonce;
};

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "mapreduce_tests: %s\n\n%s", message.c_str(), kUsage);
  std::exit(2);
}

std::int64_t ParseNumber(const std::string& option, const std::string& text, std::int64_t min) {
  char* end = nullptr;
  std::int64_t value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < min) {
    UsageError(option + " needs a number >= " + std::to_string(min) + ", got \"" + text + "\"");
  }
  return value;
}

void AddFilters(const std::string& arg, std::vector<std::string>* filters) {
  std::size_t start = 0;
  while (start <= arg.size()) {
    std::size_t end = arg.find(',', start);
    if (end == std::string::npos) end = arg.size();
    std::string name = arg.substr(start, end - start);
    if (!name.empty()) filters->push_back(name);
    start = end + 1;
  }
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::optional<std::string> inline_value;  // --option=value
    if (arg.starts_with("--") && arg.find('=') != std::string::npos) {
      inline_value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
    }
    auto value = [&]() -> std::string {
      if (inline_value) return *std::exchange(inline_value, std::nullopt);
      if (i + 1 >= argc) UsageError(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (arg == "--list" || arg == "--list-tests" || arg == "--list-test-names-only") {
      o.list = true;
    } else if (arg == "--runs") {
      o.runs = static_cast<int>(ParseNumber(arg, value(), 1));
    } else if (arg == "-j" || arg == "--jobs") {
      o.jobs = static_cast<int>(ParseNumber(arg, value(), 1));
    } else if (arg == "--solution") {
      o.solution = true;
    } else if (arg == "--timeout") {
      o.timeout = static_cast<int>(ParseNumber(arg, value(), 1));
    } else if (arg == "--socket") {
      o.socket = value();
    } else if (arg == "--workdir") {
      o.workdir = value();
    } else if (arg == "--keep") {
      o.keep = true;
    } else if (arg == "--bin-dir") {
      o.bin_dir = value();
    } else if (arg == "--app-dir") {
      o.app_dir = value();
    } else if (arg == "--seed" || arg == "--rng-seed") {
      o.seed = static_cast<std::uint64_t>(ParseNumber(arg, value(), 0));
    } else if (arg == "-r" || arg == "--reporter" || arg == "-o" || arg == "--out" || arg == "-d" ||
               arg == "--durations" || arg == "-w" || arg == "--warn" || arg == "--order") {
      value();
    } else if (arg == "--grader-fd") {
      o.grader_fd = static_cast<int>(ParseNumber(arg, value(), 0));
    } else if (arg == "--grader-nonce") {
      o.grader_nonce = value();
    } else if (arg == "-s" || arg == "--success" || arg == "--check-determinism" ||
               arg == "--real") {
    } else if (arg.starts_with("-")) {
      UsageError("unknown option " + arg);
    } else {
      AddFilters(arg, &o.filters);
    }
    if (inline_value) UsageError(arg + " takes no value");
  }
  if (!o.socket.empty()) o.jobs = 1;
  return o;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A test is selected by a NAME that is part of its name (Catch2-style '*' wildcards are
// dropped) or by any "[tag]" (these tests carry the one tag [mapreduce]).
std::vector<const TestCase*> SelectTests(const std::vector<std::string>& filters) {
  std::vector<const TestCase*> selected;
  // A NAME equal to a test's name selects that test only (the grader names one test).
  for (const TestCase& test : AllTests()) {
    for (const std::string& filter : filters) {
      if (filter == test.name) selected.push_back(&test);
    }
  }
  if (!selected.empty() && selected.size() == filters.size()) return selected;
  selected.clear();
  for (const TestCase& test : AllTests()) {
    bool wanted = filters.empty();
    for (std::string filter : filters) {
      if (filter.starts_with("[")) {
        wanted = true;
        continue;
      }
      std::erase(filter, '*');
      if (Lower(test.name).find(Lower(filter)) != std::string::npos) wanted = true;
    }
    if (wanted) selected.push_back(&test);
  }
  return selected;
}

std::string Absolute(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

// Fills the program paths; exits with a message if something is missing.
void LocatePrograms(const Options& o, DriverConfig* config) {
  std::string bin_dir = o.bin_dir;
  if (bin_dir.empty()) bin_dir = fs::read_symlink("/proc/self/exe").parent_path().string();
  bin_dir = Absolute(bin_dir);
  config->app_dir = Absolute(o.app_dir.empty() ? bin_dir + "/../lib" : o.app_dir);
  // In a build of the student files (LAB_SOLUTION=OFF) the reference, when present, is
  // built as mrcoordinator_solution and mrworker_solution; mrsequential is shared.
  std::string suffix = (o.solution && !MR_SOLUTION_BUILD) ? "_solution" : "";
  config->coordinator = bin_dir + "/mrcoordinator" + suffix;
  config->worker = bin_dir + "/mrworker" + suffix;
  config->sequential = bin_dir + "/mrsequential";
  for (const std::string& program : {config->coordinator, config->worker, config->sequential}) {
    if (::access(program.c_str(), X_OK) != 0) {
      std::fprintf(stderr, "mapreduce_tests: cannot find %s\n", program.c_str());
      if (!suffix.empty()) {
        std::fprintf(stderr, "  (this build has no reference solution: no mapreduce/solution/)\n");
      } else {
        std::fprintf(stderr,
                     "  build it first: the target mapreduce_tests builds everything "
                     "the tests run\n");
      }
      std::exit(2);
    }
  }
  if (::access((config->app_dir + "/wc.so").c_str(), R_OK) != 0) {
    std::fprintf(stderr, "mapreduce_tests: no apps in %s (expected wc.so, ...)\n",
                 config->app_dir.c_str());
    std::exit(2);
  }
}

// Serializes output lines of tests that may run concurrently.
class Printer {
 public:
  void Print(const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    std::fprintf(stdout, "%s\n", line.c_str());
    std::fflush(stdout);
  }
  void PrintAll(const std::vector<std::string>& lines) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& line : lines) std::fprintf(stdout, "%s\n", line.c_str());
    std::fflush(stdout);
  }

 private:
  std::mutex mu_;
};

struct TestResult {
  const TestCase* test = nullptr;
  bool passed = false;
  bool not_implemented = false;
  double seconds = 0;
  std::string message;  // the first failure, for the grader
};

// Runs one test. With `live`, its lines are printed as they come; otherwise they are printed
// together when it ends (so that concurrent tests do not interleave).
TestResult RunTest(const TestCase& test, const DriverConfig& config, Printer& printer, bool live) {
  std::vector<std::string> buffer;
  auto emit = [&](const std::string& line) {
    if (live) {
      printer.Print(line);
    } else {
      buffer.push_back(line);
    }
  };
  TestResult result;
  result.test = &test;
  emit("*** Starting " + test.name + " test.");
  auto start = Clock::now();
  bool failed = true;
  try {
    TestEnv env(config, test.name, emit);
    try {
      test.body(env);
    } catch (const std::exception& e) {
      env.Fail(std::string("--- the test stopped on an error: ") + e.what());
    }
    if (env.failed()) {
      for (const std::string& line : env.LogTails()) emit(line);
    }
    failed = env.failed();
    result.message = env.first_failure();
    result.not_implemented = env.SawNotImplemented();
  } catch (const std::exception& e) {
    result.message = std::string("cannot set up the test: ") + e.what();
    emit("--- " + result.message);
  }
  result.passed = !failed;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  emit("--- " + test.name + " test: " + (result.passed ? "PASS" : "FAIL"));
  if (!live) printer.PrintAll(buffer);
  return result;
}

// Runs every selected test once (one trial) and prints the verdict line.
std::vector<TestResult> RunTrial(const std::vector<const TestCase*>& tests,
                                 const DriverConfig& config, int jobs, Printer& printer) {
  auto start = Clock::now();
  std::vector<TestResult> results(tests.size());
  std::mutex mu;
  std::size_t next = 0;
  auto work = [&] {
    for (;;) {
      std::size_t index;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (next == tests.size()) return;
        index = next++;
      }
      results[index] = RunTest(*tests[index], config, printer, jobs == 1);
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < std::min<int>(jobs, static_cast<int>(tests.size())); ++i) {
    threads.emplace_back(work);
  }
  for (std::thread& thread : threads) thread.join();

  double wall = std::chrono::duration<double>(Clock::now() - start).count();
  bool all_passed = true;
  bool not_implemented = false;
  std::vector<std::string> summary;
  std::array<char, 128> line{};
  for (const TestResult& r : results) {
    std::snprintf(line.data(), line.size(), "    %-20s %s %6.1f s", r.test->name.c_str(),
                  r.passed ? "PASS" : "FAIL", r.seconds);
    summary.emplace_back(line.data());
    all_passed = all_passed && r.passed;
    not_implemented = not_implemented || r.not_implemented;
  }
  std::snprintf(line.data(), line.size(), "mapreduce: %zu test%s, %.1f s wall time", results.size(),
                results.size() == 1 ? "" : "s", wall);
  summary.emplace_back(line.data());
  if (not_implemented) {
    summary.emplace_back(
        "hint: the student stubs are still in place (\"not implemented\" above): write "
        "mapreduce/coordinator.cpp and mapreduce/worker.cpp; see docs/en/lab1-mapreduce.md");
  }
  summary.emplace_back(all_passed ? "*** PASSED ALL TESTS" : "*** FAILED SOME TESTS");
  printer.PrintAll(summary);
  return results;
}

bool AllPassed(const std::vector<TestResult>& results) {
  return std::all_of(results.begin(), results.end(), [](const TestResult& r) { return r.passed; });
}

// The grader's completion record: one JSON line, then the fd is closed.
void WriteGraderRecord(const Options& options, const std::vector<TestResult>& results) {
  nlohmann::json tests = nlohmann::json::array();
  int failed = 0;
  for (const TestResult& r : results) {
    tests.push_back({{"name", r.test->name},
                     {"passed", r.passed},
                     {"seconds", r.seconds},
                     {"message", r.message}});
    failed += r.passed ? 0 : 1;
  }
  nlohmann::json record = {{"nonce", options.grader_nonce},
                           {"seed", options.seed},
                           {"failed", failed},
                           {"tests", tests}};
  std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::string_view rest = line;
  while (!rest.empty()) {
    ssize_t n = ::write(options.grader_fd, rest.data(), rest.size());
    if (n <= 0) break;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(options.grader_fd);
}

int Main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);  // a coordinator that closes a socket must not kill the driver
  Options options = ParseOptions(argc, argv);
  if (options.grader_fd >= 0 && ::fcntl(options.grader_fd, F_SETFD, FD_CLOEXEC) != 0) {
    UsageError("--grader-fd " + std::to_string(options.grader_fd) + " is not an open fd");
  }
  std::vector<const TestCase*> tests = SelectTests(options.filters);
  if (options.list) {
    for (const TestCase* test : tests) std::printf("%s\n", test->name.c_str());
    return 0;
  }
  if (tests.empty()) UsageError("no test matches the names given (try --list)");

  DriverConfig config;
  LocatePrograms(options, &config);
  const char* tmpdir = std::getenv("TMPDIR");
  config.work_root = Absolute(!options.workdir.empty()         ? options.workdir
                              : (tmpdir != nullptr && *tmpdir) ? tmpdir
                                                               : "/tmp");
  config.socket_override = options.socket.empty() ? "" : Absolute(options.socket);
  if (options.timeout) {
    config.time_limit = config.crash_time_limit = std::chrono::seconds(*options.timeout);
  }
  config.keep = options.keep;
  config.seed = options.seed;
  textgen::Corpus corpus = textgen::Generate();
  config.corpus = &corpus;

  std::printf("mapreduce_tests: %s (%s), %zu tests%s\n",
              (options.solution || MR_SOLUTION_BUILD) ? "reference solution" : "student code",
              config.coordinator.c_str(), tests.size(),
              options.runs > 1 ? (", " + std::to_string(options.runs) + " trials").c_str() : "");
  std::fflush(stdout);
  Printer printer;
  std::vector<TestResult> results;
  int trial = 1;
  for (; trial <= options.runs; ++trial) {
    results = RunTrial(tests, config, options.jobs, printer);
    if (!AllPassed(results)) break;
  }
  if (options.grader_fd >= 0) WriteGraderRecord(options, results);
  if (!AllPassed(results)) {
    if (options.runs > 1) std::printf("*** FAILED TESTS IN TRIAL %d\n", trial);
    return 1;
  }
  if (options.runs > 1) std::printf("*** PASSED ALL %d TESTING TRIALS\n", options.runs);
  return 0;
}

}  // namespace
}  // namespace mr::testing

int main(int argc, char** argv) {
  try {
    return mr::testing::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mapreduce_tests: %s\n", e.what());
    return 2;
  }
}
