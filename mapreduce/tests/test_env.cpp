#include "mapreduce/tests/test_env.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>  // also mkdtemp
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mr::testing {

namespace fs = std::filesystem;

namespace {

// Longest socket path we use; sockaddr_un holds 108 bytes including the terminating NUL.
constexpr std::size_t kMaxSocketPath = 100;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

TestEnv::TestEnv(const DriverConfig& config, std::string test_name, Emit emit)
    : config_(config), test_name_(std::move(test_name)), emit_(std::move(emit)) {
  std::string pattern = config.work_root + "/mr-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory in " + config.work_root);
  }
  root_ = pattern;
  work_dir_ = root_ + "/mr-tmp";
  log_dir_ = root_ + "/logs";
  fs::create_directory(work_dir_);
  fs::create_directory(log_dir_);
  for (const textgen::Text& text : config.corpus->texts) {
    std::ofstream(root_ + "/" + text.name, std::ios::binary) << text.contents;
  }
  if (!config.socket_override.empty()) {
    socket_path_ = config.socket_override;
  } else {
    socket_path_ = root_ + "/mr.sock";
    if (socket_path_.size() > kMaxSocketPath) {  // a long TMPDIR
      static std::atomic<int> counter{0};
      socket_path_ = "/tmp/824-mr-" + std::to_string(getuid()) + "-" + std::to_string(getpid()) +
                     "-" + std::to_string(counter++);
    }
  }
}

TestEnv::~TestEnv() {
  for (const auto& process : processes()) process->Kill();
  ::unlink(socket_path_.c_str());
  if (failed_ || config_.keep) {
    // The inputs are the same in every test (mrinputgen makes them again): only the job's
    // files and the logs are worth the disk space.
    if (!config_.keep) {
      std::error_code ignored;
      for (const textgen::Text& text : config_.corpus->texts) {
        fs::remove(root_ + "/" + text.name, ignored);
      }
    }
    Say("--- files and logs of this test are in " + root_);
  } else {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
}

void TestEnv::Say(const std::string& line) { emit_(line); }

void TestEnv::Fail(const std::string& line) {
  if (!failed_) first_failure_ = line.starts_with("--- ") ? line.substr(4) : line;
  failed_ = true;
  emit_(line);
}

std::vector<std::string> TestEnv::InputArgs() const {
  std::vector<std::string> args;
  for (const textgen::Text& text : config_.corpus->texts) args.push_back("../" + text.name);
  std::sort(args.begin(), args.end());
  return args;
}

std::shared_ptr<Process> TestEnv::Start(const std::string& name, std::vector<std::string> argv,
                                        std::chrono::seconds time_limit) {
  ProcessSpec spec;
  spec.name = name;
  spec.argv = std::move(argv);
  spec.cwd = work_dir_;
  spec.env = {"MR_SOCKET=" + socket_path_};
  std::string file = name;
  std::replace(file.begin(), file.end(), ' ', '-');
  spec.log_path = log_dir_ + "/" + file + ".log";
  spec.time_limit = time_limit;
  auto process = Process::Start(spec);
  std::lock_guard<std::mutex> lock(mu_);
  processes_.push_back(process);
  return process;
}

std::shared_ptr<Process> TestEnv::StartCoordinator(std::chrono::seconds time_limit) {
  std::vector<std::string> argv = {config_.coordinator};
  for (std::string& input : InputArgs()) argv.push_back(std::move(input));
  return Start("coordinator", std::move(argv), time_limit);
}

std::shared_ptr<Process> TestEnv::StartWorker(const std::string& app,
                                              std::chrono::seconds time_limit) {
  int number = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    number = ++workers_started_;
  }
  return Start("worker " + std::to_string(number),
               {config_.worker, config_.app_dir + "/" + app + ".so"}, time_limit);
}

bool TestEnv::RunSequential(const std::string& app) {
  std::vector<std::string> argv = {config_.sequential, config_.app_dir + "/" + app + ".so"};
  for (std::string& input : InputArgs()) argv.push_back(std::move(input));
  auto process = Start("sequential " + app, std::move(argv), config_.time_limit);
  process->Wait();
  if (!process->Succeeded()) {
    Fail("--- mrsequential " + app + " " + process->Describe());
    return false;
  }
  return true;
}

void TestEnv::WaitAll() const {
  for (const auto& process : processes()) process->Wait();
}

std::vector<std::shared_ptr<Process>> TestEnv::processes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return processes_;
}

std::vector<std::string> TestEnv::OutputLines() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(work_dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("mr-out") && entry.is_regular_file()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> lines;
  for (const std::string& name : names) {
    for (std::string& line : SplitLines(ReadFile(work_dir_ + "/" + name))) {
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

std::vector<std::string> TestEnv::SortedOutput() const {
  std::vector<std::string> lines = OutputLines();
  std::erase_if(lines, [](const std::string& line) { return line.empty(); });
  std::sort(lines.begin(), lines.end());
  return lines;
}

void TestEnv::RemoveOutputs() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(work_dir_, ec)) {
    if (entry.path().filename().string().starts_with("mr-out")) fs::remove(entry.path(), ec);
  }
}

void TestEnv::SaveLines(const std::string& name, const std::vector<std::string>& lines) const {
  std::ofstream out(work_dir_ + "/" + name, std::ios::binary);
  for (const std::string& line : lines) out << line << '\n';
}

bool TestEnv::SocketExists() const {
  std::error_code ec;
  return fs::exists(fs::symlink_status(socket_path_, ec));
}

bool TestEnv::ExpectSameLines(const std::vector<std::string>& expected,
                              const std::vector<std::string>& got, const std::string& headline) {
  if (expected == got) return true;
  Fail(headline);
  Say("    expected " + std::to_string(expected.size()) + " lines, got " +
      std::to_string(got.size()));
  std::map<std::string, int> balance;  // > 0: missing from got; < 0: unexpected in got
  for (const std::string& line : expected) ++balance[line];
  for (const std::string& line : got) --balance[line];
  constexpr int kShown = 5;
  int missing = 0;
  int unexpected = 0;
  for (const auto& [line, count] : balance) {
    if (count > 0 && missing++ < kShown) Say("    missing:    " + line);
    if (count < 0 && unexpected++ < kShown) Say("    unexpected: " + line);
  }
  if (missing > kShown || unexpected > kShown) {
    Say("    (" + std::to_string(missing) + " distinct lines missing, " +
        std::to_string(unexpected) + " unexpected in all)");
  }
  return false;
}

std::vector<std::string> TestEnv::LogTails() const {
  constexpr std::size_t kTailLines = 8;
  constexpr std::size_t kProcessesShown = 6;
  std::vector<std::string> out;
  std::vector<std::shared_ptr<Process>> all = processes();
  for (std::size_t p = 0; p < all.size(); ++p) {
    const auto& process = all[p];
    if (p == kProcessesShown) {
      out.push_back("    (" + std::to_string(all.size() - p) + " more logs in " + log_dir_ + ")");
      break;
    }
    std::vector<std::string> lines = SplitLines(ReadFile(process->log_path()));
    std::string status = process->Exited() ? process->Describe() : "is still running";
    if (lines.empty()) {
      out.push_back("    " + process->name() + " " + status + ", no output");
      continue;
    }
    out.push_back("    " + process->name() + " " + status + "; last lines of its output:");
    std::size_t from = lines.size() > kTailLines ? lines.size() - kTailLines : 0;
    for (std::size_t i = from; i < lines.size(); ++i) out.push_back("      | " + lines[i]);
  }
  return out;
}

bool TestEnv::SawNotImplemented() const {
  return std::ranges::any_of(processes(), [](const std::shared_ptr<Process>& process) {
    return ReadFile(process->log_path()).find("not implemented:") != std::string::npos;
  });
}

}  // namespace mr::testing
