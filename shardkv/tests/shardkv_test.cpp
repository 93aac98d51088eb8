// Part 4B: the sharded key/value service. The 10 regular tests of 6.824's
// shardkv/test_test.go (2022), in its order, with its constants. Each is tagged
// [shardkv][4B]: `./lab test shardkv 4B` runs them.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// One addition: the concurrent tests record every Append (and the initial Puts) and check the
// history for linearizability at the end, as TestUnreliable3 does in the original; the
// original checks only the final values there.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "labrpc/testing/test.h"
#include "shardkv/tester/tester.h"
#include "workload.h"

namespace shardkv {
namespace {

using namespace std::chrono_literals;

constexpr int kServers = 3;  // servers per group in every test

std::chrono::milliseconds RandMillis(int below) {
  return std::chrono::milliseconds(lab::rand_int(below));
}

LAB_TEST("TestStaticShards4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/false, -1);
  t.Begin("Test: static shards ...");
  auto ck = t.MakeClient();
  t.Join(0);
  t.Join(1);

  Keys keys(10, 20);
  keys.PutAll(t, *ck);
  keys.CheckAll(t, *ck);

  // Make sure that the data really is sharded: with one group down, only the keys of the
  // other group's shards (half of them) can be read.
  t.ShutdownGroup(1);
  t.CheckLogs();  // forbid snapshots

  const int n = static_cast<int>(keys.ka.size());
  lab::Chan<std::string> ch(static_cast<std::size_t>(n));
  lab::TaskScope readers("readers");
  for (int i = 0; i < n; ++i) {
    std::shared_ptr<Tester::Client> ck1 = t.MakeClient();
    readers.Go(fmt::format("reader-{}", i), [&t, &keys, &ch, ck1, i] {
      const std::string v = t.Get(*ck1, keys.ka[i]);
      ch.send(v == keys.va[i] ? std::string()
                              : fmt::format("Get({}): expected:\n{}\nreceived:\n{}", keys.ka[i],
                                            keys.va[i], v));
    });
  }
  // Count completions until 2 s pass with none.
  int ndone = 0;
  while (std::optional<std::string> err = ch.recv_for(2s)) {
    if (!err->empty()) Tester::Fail(*err);
    ++ndone;
  }
  if (ndone != 5) {
    Tester::Fail(fmt::format(
        "expected 5 completions with one shard dead; got {}\n(group 101 is down: its five "
        "shards must not be served by anyone else, and group 100's must be)",
        ndone));
  }

  // Bring the crashed group back to life; the waiting Gets finish too.
  t.StartGroup(1);
  keys.CheckAll(t, *ck);
  readers.Wait();
  t.End();
}

LAB_TEST("TestJoinLeave4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/false, -1);
  t.Begin("Test: join then leave ...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(10, 5);
  keys.PutAll(t, *ck);
  keys.CheckAll(t, *ck);

  t.Join(1);
  keys.CheckAndAppendAll(t, *ck, 5);
  t.Leave(0);
  keys.CheckAndAppendAll(t, *ck, 5);

  lab::sleep_for(1s);
  t.CheckLogs();
  t.ShutdownGroup(0);
  // Every key must have moved to group 101.
  keys.CheckAll(t, *ck);
  t.End();
}

LAB_TEST("TestSnapshot4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/false, 1000);
  t.Begin("Test: snapshots, join, and leave ...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(30, 20);
  keys.PutAll(t, *ck);
  keys.CheckAll(t, *ck);

  t.Join(1);
  t.Join(2);
  t.Leave(0);
  keys.CheckAndAppendAll(t, *ck, 20);
  t.Leave(1);
  t.Join(0);
  keys.CheckAndAppendAll(t, *ck, 20);

  lab::sleep_for(1s);
  keys.CheckAll(t, *ck);
  lab::sleep_for(1s);
  t.CheckLogs();

  for (int gi = 0; gi < kNGroups; ++gi) t.ShutdownGroup(gi);
  for (int gi = 0; gi < kNGroups; ++gi) t.StartGroup(gi);
  keys.CheckAll(t, *ck);
  t.End();
}

LAB_TEST("TestMissChange4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/false, 1000);
  t.Begin("Test: servers miss configuration changes...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(10, 20);
  keys.PutAll(t, *ck);
  keys.CheckAll(t, *ck);

  t.Join(1);
  for (int gi = 0; gi < kNGroups; ++gi) t.ShutdownServer(gi, 0);
  t.Join(2);
  t.Leave(1);
  t.Leave(0);
  keys.CheckAndAppendAll(t, *ck, 20);
  t.Join(1);
  keys.CheckAndAppendAll(t, *ck, 20);

  for (int gi = 0; gi < kNGroups; ++gi) t.StartServer(gi, 0);
  keys.CheckAndAppendAll(t, *ck, 20);

  lab::sleep_for(2s);
  for (int gi = 0; gi < kNGroups; ++gi) t.ShutdownServer(gi, 1);
  t.Join(0);
  t.Leave(2);
  keys.CheckAndAppendAll(t, *ck, 20);

  for (int gi = 0; gi < kNGroups; ++gi) t.StartServer(gi, 1);
  keys.CheckAll(t, *ck);
  t.End();
}

LAB_TEST("TestConcurrent1_4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/false, 100);
  t.Begin("Test: concurrent puts and configuration changes...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(10, 5);
  keys.PutAll(t, *ck, &t.history());
  Appenders appenders(t, keys, 5, 10ms, &t.history());

  lab::sleep_for(150ms);
  t.Join(1);
  lab::sleep_for(500ms);
  t.Join(2);
  lab::sleep_for(500ms);
  t.Leave(0);

  t.ShutdownGroup(0);
  lab::sleep_for(100ms);
  t.ShutdownGroup(1);
  lab::sleep_for(100ms);
  t.ShutdownGroup(2);

  t.Leave(2);

  lab::sleep_for(100ms);
  t.StartGroup(0);
  t.StartGroup(1);
  t.StartGroup(2);

  lab::sleep_for(100ms);
  t.Join(0);
  t.Leave(1);
  lab::sleep_for(500ms);
  t.Join(1);

  lab::sleep_for(1000ms);
  appenders.Stop();
  keys.CheckAll(t, *ck);
  t.history().CheckLinearizable();
  t.End();
}

// This tests the various sources from which a re-starting group might need to recover its
// state.
LAB_TEST("TestConcurrent2_4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/false, -1);
  t.Begin("Test: more concurrent puts and configuration changes...");
  auto ck = t.MakeClient();
  t.Join(1);
  t.Join(0);
  t.Join(2);

  Keys keys(10, 1);
  keys.PutAll(t, *ck, &t.history());
  Appenders appenders(t, keys, 1, 50ms, &t.history());

  t.Leave(0);
  t.Leave(2);
  lab::sleep_for(3000ms);
  t.Join(0);
  t.Join(2);
  t.Leave(1);
  lab::sleep_for(3000ms);
  t.Join(1);
  t.Leave(0);
  t.Leave(2);
  lab::sleep_for(3000ms);

  t.ShutdownGroup(1);
  t.ShutdownGroup(2);
  lab::sleep_for(1000ms);
  t.StartGroup(1);
  t.StartGroup(2);

  lab::sleep_for(2000ms);
  appenders.Stop();
  keys.CheckAll(t, *ck);
  t.history().CheckLinearizable();
  t.End();
}

LAB_TEST("TestConcurrent3_4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/false, 300);
  t.Begin("Test: concurrent configuration change and restart...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(10, 1);
  keys.PutAll(t, *ck, &t.history());
  Appenders appenders(t, keys, 1, 0ms, &t.history());

  const lab::TimePoint t0 = lab::now();
  while (lab::now() - t0 < 12s) {
    t.Join(2);
    t.Join(1);
    lab::sleep_for(RandMillis(900));
    for (int gi = 0; gi < kNGroups; ++gi) t.ShutdownGroup(gi);
    for (int gi = 0; gi < kNGroups; ++gi) t.StartGroup(gi);
    lab::sleep_for(RandMillis(900));
    t.Leave(1);
    t.Leave(2);
    lab::sleep_for(RandMillis(900));
  }

  lab::sleep_for(2s);
  appenders.Stop();
  keys.CheckAll(t, *ck);
  t.history().CheckLinearizable();
  t.End();
}

LAB_TEST("TestUnreliable1_4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/true, 100);
  t.Begin("Test: unreliable 1...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(10, 5);
  keys.PutAll(t, *ck);

  t.Join(1);
  t.Join(2);
  t.Leave(0);

  const int n = static_cast<int>(keys.ka.size());
  for (int ii = 0; ii < n * 2; ++ii) {
    const int i = ii % n;
    t.Check(*ck, keys.ka[i], keys.va[i]);
    const std::string x = kvtest::RandString(5);
    t.Append(*ck, keys.ka[i], x);
    keys.va[i] += x;
  }

  t.Join(0);
  t.Leave(1);

  for (int ii = 0; ii < n * 2; ++ii) {
    const int i = ii % n;
    t.Check(*ck, keys.ka[i], keys.va[i]);
  }
  t.End();
}

LAB_TEST("TestUnreliable2_4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/true, 100);
  t.Begin("Test: unreliable 2...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(10, 5);
  keys.PutAll(t, *ck);
  Appenders appenders(t, keys, 5, 0ms);

  lab::sleep_for(150ms);
  t.Join(1);
  lab::sleep_for(500ms);
  t.Join(2);
  lab::sleep_for(500ms);
  t.Leave(0);
  lab::sleep_for(500ms);
  t.Leave(1);
  lab::sleep_for(500ms);
  t.Join(1);
  t.Join(0);

  lab::sleep_for(2s);
  appenders.Stop();
  t.SetUnreliable(false);
  keys.CheckAll(t, *ck);
  t.End();
}

LAB_TEST("TestUnreliable3_4B", "[shardkv][4B]") {
  Tester t(kServers, /*unreliable=*/true, 100);
  t.Begin("Test: unreliable 3...");
  auto ck = t.MakeClient();
  t.Join(0);

  Keys keys(10, 5);
  keys.PutAll(t, *ck, &t.history());

  // Every client makes random operations on random keys: half Appends, then a tenth of the
  // rest Puts, the others Gets; the history is checked at the end.
  std::atomic<bool> done{false};
  {
    lab::TaskScope clients("clients");
    for (int i = 0; i < static_cast<int>(keys.ka.size()); ++i) {
      std::shared_ptr<Tester::Client> ck1 = t.MakeClient();
      clients.Go(fmt::format("client-{}", i), [&t, &keys, &done, ck1, i] {
        while (!done) {
          const std::string& key = keys.ka[lab::rand_int(keys.ka.size())];
          const std::string nv = kvtest::RandString(5);
          if (lab::rand_int(2) == 0) {
            t.Append(*ck1, key, nv, &t.history(), i);
          } else if (lab::rand_int(10) == 0) {
            t.Put(*ck1, key, nv, &t.history(), i);
          } else {
            t.Get(*ck1, key, &t.history(), i);
          }
        }
      });
    }

    lab::sleep_for(150ms);
    t.Join(1);
    lab::sleep_for(500ms);
    t.Join(2);
    lab::sleep_for(500ms);
    t.Leave(0);
    lab::sleep_for(500ms);
    t.Leave(1);
    lab::sleep_for(500ms);
    t.Join(1);
    t.Join(0);

    lab::sleep_for(2s);
    done = true;
    t.SetUnreliable(false);
    clients.Wait();
  }

  t.history().CheckLinearizable();
  t.End();
}

}  // namespace
}  // namespace shardkv
