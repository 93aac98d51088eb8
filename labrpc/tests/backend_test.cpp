// Tests aimed at the real backend, run on both: the parking protocol under real concurrency
// (hand-overs racing with timeouts and cancellation, contended mutexes), the watchdog's stall
// report, and (in ThreadSanitizer builds) the reason the real backend exists: a missing lock
// is reported on OS threads, and cannot be on the simulator's one thread.
//
// Framework file: grading uses the original. Edit it only to debug.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "labrpc/labrpc.h"
#include "labrpc/runtime/run.h"
#include "labrpc/testing/test.h"
#include "labrpc/tests/subprocess.h"

using namespace std::chrono_literals;

// A receiver that times out, or is cancelled, at the instant a sender hands it a value keeps
// the value (a claimed waiter got what it waited for): so every send that returned was
// received, exactly once, and no value appears that was not sent. The receivers are cancelled
// while the senders are busy handing values over.
LAB_TEST("TestHandOverRacesWithTimeoutAndCancel", "[labrpc][runtime][cancel]") {
  constexpr int kSenders = 4;
  constexpr int kPerSender = 5000;
  constexpr std::size_t kCancelAfter = 2000;  // values received before the receivers die
  lab::Chan<int> ch;
  lab::Chan<int> milestone(1);
  std::mutex mu;  // guards the two logs; not a blocking point, so not a cancellation point
  std::vector<int> sent;
  std::vector<int> received;
  auto receivers = lab::Group::Create("receivers");
  auto senders = lab::Group::Create("senders");
  for (int r = 0; r < 4; r++) {
    receivers->Go("receiver", [&, r] {
      for (;;) {
        const std::optional<int> v =
            r % 2 == 0 ? ch.recv() : ch.recv_for(std::chrono::microseconds(1 + lab::rand_int(300)));
        if (v.has_value()) {
          std::lock_guard lock(mu);
          received.push_back(*v);
          if (received.size() == kCancelAfter) milestone.try_send(1);
        }
      }
    });
  }
  for (int s = 0; s < kSenders; s++) {
    senders->Go("sender", [&, s] {
      for (int i = 0; i < kPerSender; i++) {
        ch.send(s * 1'000'000 + i);
        std::lock_guard lock(mu);
        sent.push_back(s * 1'000'000 + i);
      }
    });
  }
  milestone.recv();
  receivers->CancelAndWait();  // while the senders keep handing values over
  senders->CancelAndWait();    // they block for good now: cancellation ends them
  std::sort(sent.begin(), sent.end());
  std::sort(received.begin(), received.end());
  CAPTURE(sent.size(), received.size());
  REQUIRE(sent.size() >= kCancelAfter);
  REQUIRE(sent.size() < kSenders * kPerSender);  // the senders were still busy
  REQUIRE(received == sent);
}

// Mutual exclusion and condition variables with many tasks competing.
LAB_TEST("TestMutexAndCondVarUnderContention", "[labrpc][runtime]") {
  constexpr int kTasks = 6;
  constexpr int kIncrements = 500;
  constexpr int kRounds = 200;
  lab::Mutex mu;
  lab::CondVar cv;
  long counter = 0;  // protected by mu (ThreadSanitizer checks the claim on real threads)
  int turn = 0;      // protected by mu: whose turn it is in the ping-pong below
  int rounds = 0;
  {
    lab::TaskScope scope("contenders");
    for (int t = 0; t < kTasks; t++) {
      scope.Go("incrementer", [&, t] {
        for (int i = 0; i < kIncrements; i++) {
          std::lock_guard lock(mu);
          counter++;
          if ((i + t) % 50 == 0) lab::yield();
        }
      });
    }
    for (int player = 0; player < 2; player++) {
      scope.Go("player", [&, player] {
        for (int i = 0; i < kRounds; i++) {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return turn == player; });
          turn = 1 - player;
          rounds++;
          cv.notify_all();
        }
      });
    }
    scope.Wait();
  }
  std::lock_guard lock(mu);
  REQUIRE(counter == kTasks * kIncrements);
  REQUIRE(rounds == 2 * kRounds);
}

// Crashing a server stops all of its tasks before the tester frees the server's state: under
// AddressSanitizer a task of the dead server that still touched it would be a
// heap-use-after-free, under ThreadSanitizer a race with the delete.
LAB_TEST("TestDeadServerTouchesNothing", "[labrpc][runtime][cancel]") {
  struct ServerState {
    lab::Mutex mu;
    lab::CondVar cv;
    lab::Chan<int> inbox;
    std::vector<int> log;  // protected by mu
    bool never = false;    // protected by mu
  };
  for (int round = 0; round < 3; round++) {
    auto group = lab::Group::Create("server-" + std::to_string(round));
    auto* state = new ServerState;
    lab::InGroup(group, [state] {
      for (int i = 0; i < 4; i++) {
        lab::go("writer", [state, i] {
          for (;;) {
            {
              std::lock_guard lock(state->mu);
              state->log.push_back(i);
            }
            lab::sleep_for(std::chrono::microseconds(100));
          }
        });
      }
      lab::go("waiter", [state] {
        std::unique_lock lock(state->mu);
        state->cv.wait(lock, [state] { return state->never; });
      });
      lab::go("receiver", [state] { state->inbox.recv(); });
    });
    lab::sleep_for(5ms);
    group->CancelAndWait();
    REQUIRE(group->live_tasks() == 0);
    delete state;         // nothing of the dead server may run after this line
    lab::sleep_for(2ms);  // time for a stray task to misbehave, if there were one
  }
}

// lab::Run returns only after every thread of the run has ended (real backend: joined), even
// when the test left tasks running.
TEST_CASE("TestRunJoinsItsThreads", "[labrpc][runtime]") {
  auto threads = [] {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
    }
    return -1;
  };
  auto workload = [] {
    lab::go("left-running", [] { lab::sleep_for(1h); });
    lab::TaskScope scope("scope");
    for (int i = 0; i < 20; i++) scope.Go("worker", [] { lab::sleep_for(1ms); });
    lab::sleep_for(5ms);
  };
  lab::RunOptions options;
  options.seed = lab::testing::Options().seed;
  REQUIRE(lab::Run(options, workload).ok);  // starts any thread a backend keeps for good
  const int before = threads();
  for (int i = 0; i < 3; i++) REQUIRE(lab::Run(options, workload).ok);
  CAPTURE(before);
  REQUIRE(before > 0);
  REQUIRE(threads() == before);
}

// Every task sleeps for an hour: on the real backend, no progress for stall_seconds fails the
// run with a dump of what each task waits for; the simulator jumps its clock instead, to the
// time limit.
TEST_CASE("TestStallReport", "[labrpc][runtime]") {
  lab::RunOptions options;
  options.seed = lab::testing::Options().seed;
  options.stall_seconds = 0.5;
  options.virtual_time_limit = 30s;
  const lab::RunResult r = lab::Run(options, [] {
    lab::TaskScope scope("sleepers");
    scope.Go("sleeper", [] { lab::sleep_for(1h); });
    lab::sleep_for(1h);
  });
  REQUIRE_FALSE(r.ok);
  CAPTURE(r.failure);
  if (lab::testing::OnRealBackend()) {
    REQUIRE(r.failure.find("no task made progress") != std::string::npos);
    REQUIRE(r.failure.find("'sleeper' [group sleepers]: blocked on sleep until") !=
            std::string::npos);
    REQUIRE(r.failure.find("'main' [group tester]: blocked on sleep until") != std::string::npos);
  } else {
    REQUIRE(r.failure.find("virtual time limit of 30 s") != std::string::npos);
  }
}

// Two tasks increment a shared counter without a lock.
TEST_CASE("DataRaceFixture", "[.fixture]") {
  lab::testing::RunTestBody("DataRaceFixture", [] {
    int unguarded = 0;
    lab::TaskScope scope("racers");
    for (int i = 0; i < 2; i++) {
      scope.Go("racer", [&unguarded] {
        for (int j = 0; j < 200; j++) {
          unguarded = unguarded + 1;  // the bug: no lock
          lab::sleep_for(std::chrono::microseconds(10));
        }
      });
    }
    scope.Wait();
  });
}

// The point of the real backend: ThreadSanitizer reports the missing lock on OS threads. The
// simulator runs one task at a time on one thread, so the same code shows no race there.
// Hidden (it needs a ThreadSanitizer build); selftest runs it from the tsan preset:
//   build/tsan/bin/labrpc_tests --real "[tsan]"
TEST_CASE("TestThreadSanitizerSeesMissingLock", "[.tsan]") {
#if defined(__SANITIZE_THREAD__)
  const lab::testing::ChildResult real =
      lab::testing::RunSelf({"DataRaceFixture", "--seed", "1", "--real"});
  CAPTURE(real.output);
  REQUIRE(real.exit_code != 0);
  REQUIRE(real.output.find("ThreadSanitizer: data race") != std::string::npos);
  const lab::testing::ChildResult sim =
      lab::testing::RunSelf({"DataRaceFixture", "--seed", "1", "--sim"});
  CAPTURE(sim.output);
  REQUIRE(sim.output.find("WARNING: ThreadSanitizer") == std::string::npos);
  REQUIRE(sim.exit_code == 0);
#else
  FAIL(
      "this test needs a ThreadSanitizer build: cmake --preset tsan && cmake --build --preset "
      "tsan --target labrpc_tests, then build/tsan/bin/labrpc_tests --real \"[tsan]\"");
#endif
}
