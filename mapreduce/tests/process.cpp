#include "mapreduce/tests/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <cstring>  // also sigabbrev_np
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace mr::testing {

// Reaps children and enforces time limits, polling every few milliseconds. A singleton that
// lives for the whole driver run (its thread is detached and never touches freed memory: the
// singleton is never destroyed).
class Supervisor {
 public:
  static Supervisor& Get() {
    static auto* supervisor = new Supervisor();
    return *supervisor;
  }

  void Add(const std::shared_ptr<Process>& process) {
    std::lock_guard<std::mutex> lock(mu_);
    live_[process->pid_] = process;
  }

  template <class Predicate>
  void WaitUntil(Predicate done) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, done);
  }

  std::mutex& mu() { return mu_; }

 private:
  static constexpr std::chrono::milliseconds kPollInterval{5};
  static constexpr std::chrono::seconds kKillGrace{2};

  Supervisor() {
    std::thread([this] { Loop(); }).detach();
  }

  void Loop() {
    for (;;) {
      std::this_thread::sleep_for(kPollInterval);
      std::lock_guard<std::mutex> lock(mu_);
      auto now = std::chrono::steady_clock::now();
      bool any_exit = false;
      for (auto it = live_.begin(); it != live_.end();) {
        Process& p = *it->second;
        int status = 0;
        if (::waitpid(p.pid_, &status, WNOHANG) == p.pid_) {
          p.exited_ = true;
          p.status_ = status;
          any_exit = true;
          it = live_.erase(it);
          continue;
        }
        if (now >= p.deadline_ && !p.terminated_) {
          p.timed_out_ = true;
          p.terminated_ = true;
          ::kill(p.pid_, SIGTERM);
        } else if (now >= p.deadline_ + kKillGrace) {
          ::kill(p.pid_, SIGKILL);
        }
        ++it;
      }
      if (any_exit) changed_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::map<pid_t, std::shared_ptr<Process>> live_;
};

namespace {

std::vector<std::string> MergedEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  std::set<std::string> overridden;
  for (const std::string& e : extra) overridden.insert(name_of(e));
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    if (!overridden.contains(name_of(entry))) env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::shared_ptr<Process> Process::Start(const ProcessSpec& spec) {
  std::vector<std::string> argv_strings = spec.argv;
  std::vector<std::string> env_strings = MergedEnvironment(spec.env);
  std::vector<char*> argv = CStrings(argv_strings);
  std::vector<char*> envp = CStrings(env_strings);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, spec.log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);

  // The driver ignores SIGPIPE (ignored signals stay ignored across exec); children get the
  // default back, and no blocked signals.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  auto process = std::shared_ptr<Process>(new Process());
  process->name_ = spec.name;
  process->log_path_ = spec.log_path;
  process->time_limit_ = spec.time_limit;
  process->deadline_ = std::chrono::steady_clock::now() + spec.time_limit;
  // Hold the supervisor's lock across the spawn, so it cannot reap the child before the
  // child is registered.
  Supervisor& supervisor = Supervisor::Get();
  int error = 0;
  {
    std::lock_guard<std::mutex> lock(supervisor.mu());
    error = posix_spawn(&process->pid_, argv[0], &actions, &attributes, argv.data(), envp.data());
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    throw std::runtime_error("cannot start " + spec.argv[0] + ": " + std::strerror(error));
  }
  supervisor.Add(process);
  return process;
}

Process::~Process() = default;

bool Process::Exited() const {
  std::lock_guard<std::mutex> lock(Supervisor::Get().mu());
  return exited_;
}

int Process::Wait() {
  Supervisor::Get().WaitUntil([this] { return exited_; });
  return status_;
}

void Process::Kill() {
  {
    std::lock_guard<std::mutex> lock(Supervisor::Get().mu());
    if (!exited_) ::kill(pid_, SIGKILL);
  }
  Wait();
}

bool Process::Succeeded() const {
  std::lock_guard<std::mutex> lock(Supervisor::Get().mu());
  return exited_ && WIFEXITED(status_) && WEXITSTATUS(status_) == 0;
}

std::string Process::Describe() const {
  std::lock_guard<std::mutex> lock(Supervisor::Get().mu());
  if (!exited_) return "is still running";
  std::string what;
  if (WIFEXITED(status_)) {
    what = "exited with status " + std::to_string(WEXITSTATUS(status_));
  } else if (WIFSIGNALED(status_)) {
    int sig = WTERMSIG(status_);
    const char* sig_name = sigabbrev_np(sig);
    what =
        "was killed by signal " + std::to_string(sig) + " (SIG" + (sig_name ? sig_name : "?") + ")";
  } else {
    what = "ended with wait status " + std::to_string(status_);
  }
  if (timed_out_) what += " after its " + std::to_string(time_limit_.count()) + " s time limit";
  return what;
}

std::size_t WaitAny(const std::vector<std::shared_ptr<Process>>& processes) {
  std::size_t index = 0;
  Supervisor::Get().WaitUntil([&] {
    for (std::size_t i = 0; i < processes.size(); ++i) {
      if (processes[i]->exited_) {
        index = i;
        return true;
      }
    }
    return false;
  });
  return index;
}

}  // namespace mr::testing
