// Tests of the reports a student reads when a run goes wrong: livelocks (the virtual clock
// stands still while tasks keep polling), real sleeps in simulated code, task dumps that are
// true when they print (a mutex's current holder, the RPC a caller waits for), and failure
// messages whose replay commands survive any console width.
//
// The fixtures ([.fixture], hidden) are the bugs; the tests run them in a child process of
// this binary (subprocess.h) and check what it prints, as a student would see it.
//
// Framework file: grading uses the original. Edit it only to debug.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "labrpc/labrpc.h"
#include "labrpc/runtime/run.h"
#include "labrpc/testing/test.h"
#include "labrpc/tests/subprocess.h"

using namespace std::chrono_literals;

namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A run of `body` in the simulator with livelock bounds small enough for a unit test.
lab::RunResult RunWithLivelockBounds(std::function<void()> body) {
  lab::RunOptions options;
  options.backend = lab::BackendKind::kSimulated;
  options.seed = 3;
  options.livelock_seconds = 0.2;
  options.livelock_switches = 20'000;
  return lab::Run(options, std::move(body));
}

// The classic 2A bug: a ticker that polls under the lock and never sleeps. Each lock() lets
// other tasks run, so no task runs for long without switching (the busy-loop watchdog sees
// progress), but the clock never moves, so the main task's sleep never ends.
void PollingTicker() {
  lab::Mutex mu;
  bool stop = false;
  lab::TaskScope scope("server-0");
  scope.Go("ticker", [&] {
    for (;;) {
      std::lock_guard lock(mu);
      if (stop) return;
    }
  });
  lab::sleep_for(1s);
  std::lock_guard lock(mu);
  stop = true;
}

}  // namespace

TEST_CASE("LivelockFixture", "[.fixture]") {
  lab::testing::RunTestBody("LivelockFixture", PollingTicker);
}

TEST_CASE("RealSleepFixture", "[.fixture]") {
  lab::testing::RunTestBody("RealSleepFixture", [] {
    lab::TaskScope scope("server-1");
    scope.Go("ticker", [] {
      for (;;) std::this_thread::sleep_for(10ms);  // real time: the virtual clock stands still
    });
    lab::sleep_for(1s);
  });
}

TEST_CASE("UsleepFixture", "[.fixture]") {
  lab::testing::RunTestBody("UsleepFixture", [] {
    lab::go("napper", [] { usleep(1000); });
    lab::sleep_for(1s);
  });
}

// A failure of a test whose name makes the replay command longer than 80 columns.
TEST_CASE("FailureFixtureWithANameLongEnoughThatCatch2WouldWrapTheReplayCommandOfItsFailure",
          "[.fixture]") {
  lab::testing::RunTestBody(
      "FailureFixtureWithANameLongEnoughThatCatch2WouldWrapTheReplayCommandOfItsFailure",
      [] { lab::Fatal("the fixture fails on purpose"); });
}

// A schedule decided by something outside the runtime: --check-determinism must catch it.
TEST_CASE("NondeterministicFixtureWithANameLongEnoughThatCatch2WouldWrapTheCommand", "[.fixture]") {
  lab::testing::RunTestBody(
      "NondeterministicFixtureWithANameLongEnoughThatCatch2WouldWrapTheCommand", [] {
        static std::random_device device;
        lab::sleep_for(std::chrono::milliseconds(1 + device() % 1000));
      });
}

TEST_CASE("TestLivelockFailsTheRun", "[labrpc][diagnostics][sim]") {
  const lab::RunResult r = RunWithLivelockBounds(PollingTicker);
  REQUIRE_FALSE(r.ok);
  CAPTURE(r.failure);
  REQUIRE(Has(r.failure, "livelock: the virtual clock has stood still at 0.000 s"));
  REQUIRE(Has(r.failure, "without lab::sleep_for"));
  // The polling task tops the list of the tasks that ran most.
  REQUIRE(Has(r.failure,
              "ran most while the clock stood still:\n  task 2 'ticker' [group "
              "server-0]: ran "));
  REQUIRE(Has(r.failure, "'main' [group tester]: blocked on sleep until 1.000 s"));
}

TEST_CASE("TestNoLivelockWhileTheClockMoves", "[labrpc][diagnostics][sim]") {
  // Many more switches than the bound, and more real time, but the clock moves now and then:
  // a busy run, not a livelock.
  const lab::RunResult r = RunWithLivelockBounds([] {
    lab::Mutex mu;
    lab::TaskScope scope("workers");
    const auto until = std::chrono::steady_clock::now() + 400ms;
    for (int i = 0; i < 4; ++i) {
      scope.Go("worker", [&] {
        while (std::chrono::steady_clock::now() < until) {
          for (int k = 0; k < 1000; ++k) std::lock_guard lock(mu);
          lab::sleep_for(1ms);
        }
      });
    }
    scope.Wait();
  });
  CAPTURE(r.failure);
  REQUIRE(r.ok);
  REQUIRE(r.switches > 100'000);
}

TEST_CASE("TestLivelockReport", "[labrpc][diagnostics][sim]") {
  const auto start = std::chrono::steady_clock::now();
  const lab::testing::ChildResult r =
      lab::testing::RunSelf({"LivelockFixture", "--seed", "4", "--sim", "--livelock-seconds", "1"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 1);  // a test failure reported by Catch2, not a watchdog's exit
  REQUIRE(Has(r.output, "livelock: the virtual clock has stood still"));
  REQUIRE(Has(r.output, "task 2 'ticker' [group server-0]: ran "));
  REQUIRE(Has(r.output, "\nreplay with: ./lab test labrpc \"LivelockFixture\" --seed 4\n"));
  REQUIRE(seconds < 30);
}

TEST_CASE("TestRealSleepIsCaught", "[labrpc][diagnostics][sim]") {
  const lab::testing::ChildResult r =
      lab::testing::RunSelf({"RealSleepFixture", "--seed", "5", "--sim"});
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 1);
  REQUIRE(Has(r.output, "real sleep in simulated code: task 'ticker' [group server-1] called "));
  REQUIRE(Has(r.output, "Use lab::sleep_for"));
  REQUIRE(Has(r.output, "\nreplay with: ./lab test labrpc \"RealSleepFixture\" --seed 5\n"));

  const lab::testing::ChildResult u =
      lab::testing::RunSelf({"UsleepFixture", "--seed", "5", "--sim"});
  CAPTURE(u.output);
  REQUIRE(u.exit_code == 1);
  REQUIRE(Has(u.output,
              "real sleep in simulated code: task 'napper' [group tester] called "
              "usleep()"));
}

// Real sleeps are legitimate outside simulated tasks: in the test's own thread outside a run,
// and in tasks of the real backend.
LAB_TEST("TestRealSleepWhereItIsAllowed", "[labrpc][diagnostics]") {
  if (!lab::testing::OnRealBackend()) return;
  const auto start = std::chrono::steady_clock::now();
  lab::TaskScope scope("sleepers");
  scope.Go("sleeper", [] { std::this_thread::sleep_for(20ms); });
  scope.Wait();
  REQUIRE(std::chrono::steady_clock::now() - start >= 20ms);
}

TEST_CASE("TestRealSleepOutsideARun", "[labrpc][diagnostics]") {
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(5ms);
  usleep(1000);
  REQUIRE(std::chrono::steady_clock::now() - start >= 6ms);
}

// A child forked from inside a simulated task (a daemon a submission leaves behind) is not in
// the run: it sleeps for real and never fails, or reports into, its parent's run.
LAB_TEST("TestRealSleepInAForkedChild", "[labrpc][diagnostics][sim]") {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    usleep(1000);  // would throw lab::Cancelled if the guard took it for the run's task
    _exit(7);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 7);
}

// A waiter's dump names the mutex's holder at the time of the dump: after main unlocks, the
// mutex belongs to 'second' (handed over in FIFO order), and 'third' waits for 'second'.
LAB_TEST("TestDumpNamesTheCurrentHolder", "[labrpc][diagnostics]") {
  lab::Mutex mu;
  lab::TaskScope scope("workers");
  std::unique_lock hold(mu);
  scope.Go("second", [&] {
    std::lock_guard lock(mu);
    lab::sleep_for(1h);
  });
  lab::sleep_for(100ms);
  scope.Go("third", [&] { std::lock_guard lock(mu); });
  lab::sleep_for(100ms);
  hold.unlock();
  lab::sleep_for(100ms);
  const std::string dump = lab::DescribeTasks();
  CAPTURE(dump);
  REQUIRE(Has(dump, "'third' [group workers]: blocked on mutex"));
  REQUIRE(Has(dump, "held by task 2 'second' [group workers]"));
  REQUIRE_FALSE(Has(dump, "held by task 1"));
}

namespace {

// A handler that waits for a mutex the test holds.
struct Blocker {
  lab::Mutex mu;
  void Block(const int& args, int* reply) {
    std::lock_guard lock(mu);
    *reply = args;
  }
};

}  // namespace

// A task blocked in ClientEnd::Call shows the RPC and the server it waits for; the handler
// shows what it waits on, and who holds that.
LAB_TEST("TestDumpNamesTheRpcOfACaller", "[labrpc][diagnostics]") {
  lab::Network net;
  Blocker blocker;
  auto group = lab::Group::Create("server-7");
  auto service = std::make_shared<lab::Service>("Blocker");
  service->Register("Block", &blocker, &Blocker::Block);
  auto server = std::make_shared<lab::Server>(group);
  server->AddService(service);
  net.AddServer("s7", server);
  auto end = net.MakeEnd("end-to-s7");
  net.Connect("end-to-s7", "s7");
  net.Enable("end-to-s7", true);

  std::unique_lock hold(blocker.mu);
  lab::TaskScope scope("clients");
  scope.Go("caller", [&] {
    int reply = 0;
    end->Call("Blocker.Block", 1, &reply);
  });
  lab::sleep_for(300ms);
  const std::string dump = lab::DescribeTasks();
  CAPTURE(dump);
  REQUIRE(
      Has(dump,
          "'caller' [group clients]: blocked in Call Blocker.Block to server 's7' (on chan recv"));
  REQUIRE(Has(dump, "'Blocker.Block' [group server-7]: blocked on mutex"));
  REQUIRE(Has(dump, "held by task 1 'main' [group tester]"));
  hold.unlock();
  scope.Wait();
  group->Cancel();
  group->Wait();
}

TEST_CASE("TestReplayCommandsAreNeverWrapped", "[labrpc][diagnostics][sim]") {
  const std::string failing =
      "FailureFixtureWithANameLongEnoughThatCatch2WouldWrapTheReplayCommandOfItsFailure";
  const lab::testing::ChildResult r = lab::testing::RunSelf({failing, "--seed", "6", "--sim"});
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 1);
  REQUIRE(Has(r.output, "the fixture fails on purpose"));
  REQUIRE(Has(r.output, "\nreplay with: ./lab test labrpc \"" + failing + "\" --seed 6\n"));

  const std::string varying =
      "NondeterministicFixtureWithANameLongEnoughThatCatch2WouldWrapTheCommand";
  const lab::testing::ChildResult d =
      lab::testing::RunSelf({varying, "--seed", "6", "--sim", "--check-determinism"});
  CAPTURE(d.output);
  REQUIRE(d.exit_code == 1);
  REQUIRE(Has(d.output, "not deterministic: seed 6"));
  REQUIRE(Has(d.output, "\nreplay with: ./lab test labrpc \"" + varying +
                            "\" --seed 6 --check-determinism\n"));
}
