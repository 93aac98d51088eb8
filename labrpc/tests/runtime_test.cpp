// Tests of the runtime's primitives: tasks, time, Mutex, CondVar, Chan, groups, determinism
// and the failure reports (deadlock, time limit, busy loop, stack overflow).
//
// Every test runs on both backends unless it is tagged [sim] (it needs exact virtual time,
// determinism or fiber stacks). Where a check is about exact timing, the real backend checks
// the bound that real clocks can promise instead (see OnRealBackend).
//
// Framework file: grading uses the original. Edit it only to debug.
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "labrpc/labrpc.h"
#include "labrpc/runtime/run.h"
#include "labrpc/testing/test.h"
#include "labrpc/tests/subprocess.h"

using namespace std::chrono_literals;

namespace {

double Ms(lab::TimePoint t) {
  return std::chrono::duration<double, std::milli>(t.time_since_epoch()).count();
}

lab::RunResult RunWithSeed(std::uint64_t seed, std::function<void()> body) {
  lab::RunOptions options;
  options.seed = seed;
  return lab::Run(options, std::move(body));
}

// `args` for a child run of this binary, on the backend this binary runs on.
std::vector<std::string> ChildArgs(std::vector<std::string> args) {
  args.emplace_back(lab::testing::OnRealBackend() ? "--real" : "--sim");
  return args;
}

}  // namespace

LAB_TEST("TestVirtualTime", "[labrpc][runtime][sim]") {
  REQUIRE(Ms(lab::now()) == 0);
  lab::sleep_for(250ms);
  REQUIRE(Ms(lab::now()) == 250);
  std::vector<int> order;
  lab::TaskScope scope("sleepers");
  for (int i : {3, 1, 2}) {
    scope.Go("sleeper", [&order, i] {
      lab::sleep_for(std::chrono::milliseconds(10 * i));
      order.push_back(i);
    });
  }
  scope.Wait();
  REQUIRE(order == std::vector<int>{1, 2, 3});
  REQUIRE(Ms(lab::now()) == 280);
}

// The clock of either backend: monotonic, and a sleep lasts at least its duration (exactly,
// in the simulator).
LAB_TEST("TestSleepAndClock", "[labrpc][runtime]") {
  lab::TimePoint last = lab::now();
  for (auto d : {0ms, 1ms, 7ms, 30ms}) {
    const lab::TimePoint t0 = lab::now();
    REQUIRE(t0 >= last);
    lab::sleep_for(d);
    const lab::Duration slept = lab::now() - t0;
    CAPTURE(d.count(), slept.count());
    REQUIRE(slept >= d);
    if (!lab::testing::OnRealBackend()) REQUIRE(slept == d);
    last = lab::now();
  }
  REQUIRE(lab::seconds_since_start() >= 0.038);
}

LAB_TEST("TestMutexExcludes", "[labrpc][runtime]") {
  lab::Mutex mu;
  int inside = 0;
  int max_inside = 0;
  int total = 0;
  lab::TaskScope scope("workers");
  for (int i = 0; i < 10; i++) {
    scope.Go("worker", [&] {
      for (int j = 0; j < 20; j++) {
        std::lock_guard lock(mu);
        inside++;
        max_inside = std::max(max_inside, inside);
        lab::yield();  // another task would run here if the mutex let it in
        lab::sleep_for(1ms);
        total++;
        inside--;
      }
    });
  }
  scope.Wait();
  REQUIRE(max_inside == 1);
  REQUIRE(total == 200);
  REQUIRE(mu.try_lock());
  REQUIRE_FALSE(mu.try_lock());
  mu.unlock();
}

LAB_TEST("TestCondVar", "[labrpc][runtime]") {
  lab::Mutex mu;
  lab::CondVar cv;
  int ready = 0;  // protected by mu, as are the counters below
  int waiting = 0;
  int woken = 0;
  lab::TaskScope scope("waiters");
  for (int i = 0; i < 3; i++) {
    scope.Go("waiter", [&] {
      std::unique_lock lock(mu);
      waiting++;
      cv.wait(lock, [&] { return ready > 0; });
      woken++;
    });
  }
  // Until all three wait (at once in the simulator; on real threads, once they got there).
  for (;;) {
    lab::sleep_for(10ms);
    std::unique_lock lock(mu);
    if (waiting == 3) break;
  }
  {
    std::unique_lock lock(mu);
    ready = 1;
    cv.notify_one();
  }
  // notify_one woke exactly one waiter: one wakes up, and the other two stay asleep.
  for (;;) {
    lab::sleep_for(10ms);
    std::unique_lock lock(mu);
    if (woken > 0) break;
  }
  lab::sleep_for(10ms);
  {
    std::unique_lock lock(mu);
    REQUIRE(woken == 1);
    cv.notify_all();
  }
  scope.Wait();
  REQUIRE(woken == 3);
  // A timed wait that nobody notifies times out at its deadline, holding the mutex again.
  std::unique_lock lock(mu);
  const lab::TimePoint t0 = lab::now();
  REQUIRE(cv.wait_for(lock, 70ms) == std::cv_status::timeout);
  if (lab::testing::OnRealBackend()) {
    REQUIRE(lab::now() - t0 >= 70ms);
  } else {
    REQUIRE(lab::now() - t0 == 70ms);
  }
  REQUIRE(lock.owns_lock());
  REQUIRE_FALSE(cv.wait_for(lock, 5ms, [] { return false; }));
}

LAB_TEST("TestChanUnbuffered", "[labrpc][runtime]") {
  lab::Chan<int> ch;
  lab::TimePoint sent_at;
  lab::TaskScope scope("sender");
  scope.Go("sender", [&] {
    ch.send(7);  // blocks until the receiver below takes it, 50 ms from now
    sent_at = lab::now();
  });
  lab::sleep_for(50ms);
  REQUIRE_FALSE(ch.try_send(8));  // no receiver waiting, no buffer
  REQUIRE(ch.recv() == 7);
  scope.Wait();
  if (lab::testing::OnRealBackend()) {
    REQUIRE(Ms(sent_at) >= 50);
  } else {
    REQUIRE(Ms(sent_at) == 50);
  }
  REQUIRE_FALSE(ch.try_recv().has_value());
  REQUIRE_FALSE(ch.recv_for(20ms).has_value());
  REQUIRE_FALSE(ch.closed());
}

LAB_TEST("TestChanBufferedAndClose", "[labrpc][runtime]") {
  lab::Chan<std::string> ch(2);
  ch.send("a");
  ch.send("b");
  REQUIRE_FALSE(ch.try_send("c"));  // full
  REQUIRE(ch.size() == 2);
  bool third_sent = false;
  lab::TaskScope scope("sender");
  scope.Go("sender", [&] {
    ch.send("c");  // blocks until there is room
    third_sent = true;
  });
  lab::sleep_for(1ms);
  REQUIRE_FALSE(third_sent);
  REQUIRE(ch.recv() == "a");
  scope.Wait();
  REQUIRE(third_sent);
  ch.close();
  REQUIRE(ch.recv() == "b");  // a closed channel is drained first
  REQUIRE(ch.recv() == "c");
  REQUIRE_FALSE(ch.recv().has_value());
  REQUIRE_FALSE(ch.recv().has_value());
  REQUIRE_THROWS_AS(ch.send("d"), lab::ChanClosed);
  REQUIRE_THROWS_AS(ch.close(), lab::ChanClosed);

  // Closing wakes blocked receivers with nullopt and blocked senders with ChanClosed.
  lab::Chan<int> a;
  lab::Chan<int> b;
  std::atomic<int> receivers_done = 0;  // four tasks count concurrently on real threads
  std::atomic<int> senders_threw = 0;
  lab::TaskScope blocked("blocked");
  for (int i = 0; i < 2; i++) {
    blocked.Go("receiver", [&] {
      if (!a.recv().has_value()) receivers_done++;
    });
    blocked.Go("sender", [&] {
      try {
        b.send(1);
      } catch (const lab::ChanClosed&) {
        senders_threw++;
      }
    });
  }
  lab::sleep_for(1ms);
  a.close();
  b.close();
  blocked.Wait();
  REQUIRE(receivers_done == 2);
  REQUIRE(senders_threw == 2);
}

// Differential test: a buffered Chan used through try_send/try_recv behaves like a bounded
// std::deque, on 5,000 random operations.
LAB_TEST("TestChanMatchesDequeModel", "[labrpc][runtime]") {
  constexpr std::size_t kCapacity = 4;
  lab::Chan<int> ch(kCapacity);
  std::deque<int> model;
  for (int i = 0; i < 5000; i++) {
    CAPTURE(i);
    if (lab::rand_int(2) == 0) {
      const bool sent = ch.try_send(i);
      REQUIRE(sent == (model.size() < kCapacity));
      if (sent) model.push_back(i);
    } else {
      const std::optional<int> got = ch.try_recv();
      REQUIRE(got.has_value() == !model.empty());
      if (got) {
        REQUIRE(*got == model.front());
        model.pop_front();
      }
    }
    REQUIRE(ch.size() == model.size());
  }
}

LAB_TEST("TestGroups", "[labrpc][runtime]") {
  auto group = lab::Group::Create("server-0");
  std::atomic<int> ran = 0;
  lab::Chan<int> proceed(1);
  const lab::TimePoint t0 = lab::now();
  lab::InGroup(group, [&] {
    lab::go("child", [&] {
      proceed.recv();
      lab::sleep_for(5ms);
      lab::go("grandchild", [&] {  // inherits its creator's group
        lab::sleep_for(5ms);
        ran++;
      });
      ran++;
    });
  });
  REQUIRE(group->live_tasks() == 1);
  REQUIRE(lab::CurrentGroup()->name() == "tester");
  proceed.send(1);
  group->Wait();
  REQUIRE(ran == 2);
  REQUIRE(group->live_tasks() == 0);
  if (lab::testing::OnRealBackend()) {
    REQUIRE(lab::now() - t0 >= 10ms);
  } else {
    REQUIRE(Ms(lab::now()) == 10);
  }
}

// The same seed gives the same run (equal trace hashes); different seeds explore different
// schedules. The workload is chaotic on purpose: many tasks, random sleeps, mutex contention,
// channels, and RPCs on an unreliable network with long reordering.
namespace {
struct Echo {
  void Ping(const int& x, int* reply) { *reply = x + 1; }
};

void ChaoticWorkload() {
  Echo echo;
  lab::Network net;
  net.Reliable(false);
  net.LongReordering(true);
  lab::Mutex mu;
  std::vector<int> log;
  lab::Chan<int> results(8);
  lab::TaskScope servers("servers");
  auto server = std::make_shared<lab::Server>(servers.group());
  auto svc = std::make_shared<lab::Service>("Echo");
  svc->Register("Ping", &echo, &Echo::Ping);
  server->AddService(svc);
  net.AddServer("s", server);
  lab::TaskScope clients("clients");
  for (int c = 0; c < 8; c++) {
    clients.Go("client", [&, c] {
      const std::string name = "end-" + std::to_string(c);
      auto end = net.MakeEnd(name);
      net.Connect(name, "s");
      net.Enable(name, true);
      int ok = 0;
      for (int i = 0; i < 15; i++) {
        lab::sleep_for(lab::rand_duration(0ms, 20ms));
        int reply = 0;
        if (end->Call("Echo.Ping", i, &reply)) ok++;
        std::lock_guard lock(mu);
        log.push_back(c * 1000 + i);
      }
      results.send(ok);
    });
  }
  int total = 0;
  for (int c = 0; c < 8; c++) total += *results.recv();
  LAB_DEBUG("chaos", "{} RPCs succeeded", total);
}
}  // namespace

TEST_CASE("TestDeterminism", "[labrpc][runtime][sim]") {
  const std::uint64_t seed = lab::testing::Options().seed;
  const lab::RunResult a = RunWithSeed(seed, ChaoticWorkload);
  const lab::RunResult b = RunWithSeed(seed, ChaoticWorkload);
  const lab::RunResult c = RunWithSeed(seed + 1, ChaoticWorkload);
  REQUIRE(a.ok);
  REQUIRE(b.ok);
  REQUIRE(c.ok);
  REQUIRE(a.switches > 300);
  REQUIRE(a.trace_hash == b.trace_hash);
  REQUIRE(a.virtual_time == b.virtual_time);
  REQUIRE(a.switches == b.switches);
  REQUIRE(a.trace_hash != c.trace_hash);
}

namespace {

// Starts two tasks in `scope` (named "workers") that block for ever: 'locker' on `held`,
// which the caller holds, and 'receiver' on `never`, which nobody sends on.
void GoBlockedWorkers(lab::TaskScope& scope, lab::Mutex& held, lab::Chan<int>& never) {
  scope.Go("locker", [&held] { std::lock_guard lock(held); });
  scope.Go("receiver", [&never] { never.recv(); });
}

// `dump` (a deadlock report or lab::DescribeTasks) shows what GoBlockedWorkers' tasks wait on.
void CheckBlockedWorkersDescribed(const std::string& dump) {
  REQUIRE(dump.find("'locker' [group workers]: blocked on mutex") != std::string::npos);
  REQUIRE(dump.find("'receiver' [group workers]: blocked on chan recv") != std::string::npos);
}

}  // namespace

TEST_CASE("TestDeadlockReport", "[labrpc][runtime]") {
  const lab::RunResult r = RunWithSeed(lab::testing::Options().seed, [] {
    lab::Mutex a;
    lab::Chan<int> never;
    lab::TaskScope scope("workers");
    std::unique_lock hold(a);
    GoBlockedWorkers(scope, a, never);
    never.recv();  // the main task waits too: nothing can ever run again
  });
  REQUIRE_FALSE(r.ok);
  CAPTURE(r.failure);
  REQUIRE(r.failure.find("deadlock") != std::string::npos);
  CheckBlockedWorkersDescribed(r.failure);
  REQUIRE(r.failure.find("held by task 1 'main'") != std::string::npos);
  REQUIRE(r.failure.find("'main' [group tester]: blocked on chan recv") != std::string::npos);
}

// lab::DescribeTasks: the same dump, on demand, while other tasks still make progress (a
// livelock or a time limit, which no deadlock detector would report).
LAB_TEST("TestDescribeTasks", "[labrpc][runtime]") {
  REQUIRE(lab::DescribeTasks().find("'main'") != std::string::npos);
  lab::Mutex a;
  lab::Chan<int> never;
  lab::TaskScope scope("workers");
  {
    std::unique_lock hold(a);
    GoBlockedWorkers(scope, a, never);
    scope.Go("ticker", [] {
      for (;;) lab::sleep_for(10ms);  // keeps the run alive: no deadlock is detected
    });
    lab::sleep_for(50ms);
    const std::string dump = lab::DescribeTasks();
    CAPTURE(dump);
    CheckBlockedWorkersDescribed(dump);
    REQUIRE(dump.find("'ticker' [group workers]") != std::string::npos);
  }  // the scope cancels its three tasks and waits for them
}

TEST_CASE("TestVirtualTimeLimit", "[labrpc][runtime][sim]") {
  lab::RunOptions options;
  options.seed = lab::testing::Options().seed;
  options.virtual_time_limit = 5s;
  bool finished = false;
  const lab::RunResult r = lab::Run(options, [&] {
    lab::sleep_for(10s);
    finished = true;
  });
  REQUIRE_FALSE(r.ok);
  REQUIRE_FALSE(finished);
  REQUIRE(r.failure.find("virtual time limit of 5 s") != std::string::npos);
}

// The time limit on both backends (virtual time in the simulator, real time otherwise).
TEST_CASE("TestRunTimeLimit", "[labrpc][runtime]") {
  lab::RunOptions options;
  options.seed = lab::testing::Options().seed;
  options.virtual_time_limit = 300ms;
  std::atomic<bool> finished = false;
  const auto t0 = std::chrono::steady_clock::now();
  const lab::RunResult r = lab::Run(options, [&] {
    lab::TaskScope scope("sleepers");
    scope.Go("sleeper", [] { lab::sleep_for(1h); });
    lab::sleep_for(1h);
    finished = true;
  });
  REQUIRE_FALSE(r.ok);
  REQUIRE_FALSE(finished);
  CAPTURE(r.failure);
  REQUIRE(r.failure.find("time limit of 0.3 s") != std::string::npos);
  REQUIRE(std::chrono::steady_clock::now() - t0 < 30s);  // not an hour of real time
}

TEST_CASE("TestFatalFromBackgroundTask", "[labrpc][runtime]") {
  bool main_unwound = false;
  const lab::RunResult r = RunWithSeed(lab::testing::Options().seed, [&] {
    struct Flag {
      bool& flag;
      ~Flag() { flag = true; }
    } on_exit{main_unwound};
    lab::go("checker", [] {
      lab::sleep_for(10ms);
      lab::Fatal("apply error: server 2 apply out of order 5");
    });
    lab::sleep_for(1h);
  });
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failure == "apply error: server 2 apply out of order 5");
  REQUIRE(main_unwound);
  if (lab::testing::OnRealBackend()) {
    REQUIRE(r.virtual_time >= 10ms);
    REQUIRE(r.virtual_time < 1h);
  } else {
    REQUIRE(r.virtual_time == 10ms);
  }
}

TEST_CASE("TestTaskExceptionFailsRun", "[labrpc][runtime]") {
  const lab::RunResult r = RunWithSeed(lab::testing::Options().seed, [] {
    lab::go("applier-2", [] { throw std::out_of_range("log index 7 out of range"); });
    lab::sleep_for(1s);
  });
  REQUIRE_FALSE(r.ok);
  CAPTURE(r.failure);
  REQUIRE(r.failure.find("task 'applier-2' (group 'tester') threw std::out_of_range: log "
                         "index 7 out of range") != std::string::npos);
}

// A REQUIRE that fails in the main task is rethrown to Catch2 after the run is torn down.
TEST_CASE("TestMainTaskExceptionIsKept", "[labrpc][runtime]") {
  const lab::RunResult r = RunWithSeed(lab::testing::Options().seed, [] {
    lab::go("bystander", [] { lab::sleep_for(1h); });
    throw std::logic_error("assertion in the test body");
  });
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.main_error != nullptr);
  REQUIRE_THROWS_WITH(std::rethrow_exception(r.main_error), "assertion in the test body");
}

// ---- Reports that end the process, checked from a child process ----

TEST_CASE("BusyLoopFixture", "[.fixture]") {
  lab::testing::RunTestBody("BusyLoopFixture", [] {
    lab::go("spinner", [] {
      volatile unsigned long n = 0;
      for (;;) n = n + 1;  // never blocks
    });
    lab::sleep_for(1s);
  });
}

TEST_CASE("StackOverflowFixture", "[.fixture]") {
  lab::testing::RunTestBody("StackOverflowFixture", [] {
    lab::go("overflow", [] {
      std::array<volatile char, 4 << 20> big;  // 4 MiB on a 256 KiB stack
      big[0] = 1;
      big[big.size() - 1] = 2;
    });
    lab::sleep_for(1s);
  });
}

TEST_CASE("BlockingDestructorFixture", "[.fixture]") {
  lab::testing::RunTestBody("BlockingDestructorFixture", [] {
    lab::go("stubborn", [] {
      struct Stubborn {
        ~Stubborn() {
          lab::Chan<int> never;
          never.recv();  // during unwinding: uncancellable, and nobody will ever send
        }
      } s;
      lab::sleep_for(1h);
    });
    lab::sleep_for(1s);
  });
}

TEST_CASE("TestBusyLoopReport", "[labrpc][runtime]") {
  const lab::testing::ChildResult r = lab::testing::RunSelf(
      ChildArgs({"BusyLoopFixture", "--seed", "5", "--busy-loop-seconds", "1"}));
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 70);
  REQUIRE(r.output.find("busy loop: task 'spinner'") != std::string::npos);
  REQUIRE(r.output.find("seed: 5") != std::string::npos);
  REQUIRE(r.output.find("replay with: ./lab test") != std::string::npos);
}

TEST_CASE("TestStackOverflowIsReported", "[labrpc][runtime][sim]") {
  const lab::testing::ChildResult r =
      lab::testing::RunSelf({"StackOverflowFixture", "--seed", "1"});
  CAPTURE(r.output);
  // The guard page turns the overflow into a crash (SIGSEGV, or an ASan report), never a
  // silent corruption of another task's stack.
  REQUIRE(r.exit_code != 0);
  const bool segv = r.signal == SIGSEGV || r.output.find("SIGSEGV") != std::string::npos ||
                    r.output.find("stack-overflow") != std::string::npos;
  REQUIRE(segv);
}

TEST_CASE("TestBlockingDestructorAborts", "[labrpc][runtime]") {
  const lab::testing::ChildResult r =
      lab::testing::RunSelf(ChildArgs({"BlockingDestructorFixture", "--seed", "3"}));
  CAPTURE(r.output);
  REQUIRE(r.exit_code != 0);
  REQUIRE(r.output.find("blocks for ever") != std::string::npos);
  REQUIRE(r.output.find("'stubborn' [group tester]: blocked on chan recv") != std::string::npos);
  REQUIRE(r.output.find("replay with: ./lab test") != std::string::npos);
}
