// The shared kvraft scenarios. The contract is in scenarios.h.
#include "scenarios.h"

#include <atomic>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "grading/kvtest/appends.h"

namespace kvraft {
namespace {

using namespace std::chrono_literals;

std::string Title(std::string_view part, int nclients, bool unreliable, bool crash, bool partitions,
                  int maxraftstate, bool randomkeys) {
  std::string title = "Test: ";
  if (unreliable) title += "unreliable net, ";  // the network drops RPCs and replies
  if (crash) title += "restarts, ";             // peers re-start, and thus persistence must work
  if (partitions) title += "partitions, ";      // the network may partition
  if (maxraftstate != -1) title += "snapshots, ";
  if (randomkeys) title += "random keys, ";
  title += nclients > 1 ? "many clients" : "one client";
  return fmt::format("{} ({})", title, part);
}

// Every 1-1.2 s, puts each server on a random side of a partition, until `done`.
void Partitioner(Tester& t, const std::atomic<bool>& done) {
  while (!done) {
    std::vector<int> sides[2];
    for (int i = 0; i < t.n(); ++i) sides[lab::rand_int(2)].push_back(i);
    t.Partition(sides[0], sides[1]);
    lab::sleep_for(kElectionTimeout + std::chrono::milliseconds(lab::rand_int(200)));
  }
}

// One GenericTest client: returns how many writes it made.
int RunClient(Tester& t, int cli, Tester::Client& clerk, int nclients, bool randomkeys,
              const std::atomic<bool>& done) {
  kvtest::History* history = &t.history();
  int j = 0;
  std::string last;  // what the client's own key must hold (without random keys)
  if (!randomkeys) t.Put(clerk, std::to_string(cli), last, history, cli);
  while (!done) {
    const std::string key =
        randomkeys ? std::to_string(lab::rand_int(nclients)) : std::to_string(cli);
    const std::string nv = kvtest::AppendElement(cli, j);
    if (lab::rand_int(1000) < 500) {
      t.Append(clerk, key, nv, history, cli);
      if (!randomkeys) last += nv;
      ++j;
    } else if (randomkeys && lab::rand_int(1000) < 100) {
      // A Put now and then, so that the checker sees values overwritten, not only grown.
      t.Put(clerk, key, nv, history, cli);
      ++j;
    } else {
      const std::string v = t.Get(clerk, key, history, cli);
      if (!randomkeys && v != last) {
        Tester::Fail(fmt::format(
            "get wrong value, key {}, wanted:\n{}\n, got\n{}\n(this client is the only one "
            "writing key {}: a Get must see all its earlier Appends, once each)",
            key, kvtest::Shorten(last), kvtest::Shorten(v), key));
      }
    }
  }
  return j;
}

}  // namespace

void SpawnClientsAndWait(Tester& t, int nclients,
                         const std::function<void(int cli, Tester::Client& clerk)>& body) {
  lab::TaskScope clients("clients");
  for (int cli = 0; cli < nclients; ++cli) {
    clients.Go(fmt::format("client-{}", cli), [&t, &body, cli] {
      std::shared_ptr<Tester::Client> clerk = t.MakeClient(t.All());
      body(cli, *clerk);
      t.DeleteClient(*clerk);
    });
  }
  clients.Wait();
}

void GenericTest(std::string_view part, int nclients, int nservers, bool unreliable, bool crash,
                 bool partitions, int maxraftstate, bool randomkeys) {
  Tester t(nservers, unreliable, maxraftstate);
  std::shared_ptr<Tester::Client> ck = t.MakeClient(t.All());
  t.Begin(Title(part, nclients, unreliable, crash, partitions, maxraftstate, randomkeys));

  for (int round = 0; round < 3; ++round) {
    std::atomic<bool> done_clients{false};
    std::atomic<bool> done_partitioner{false};
    std::vector<int> writes(static_cast<std::size_t>(nclients), 0);
    {
      lab::TaskScope clients("clients");
      clients.Go("spawn-clients", [&] {
        SpawnClientsAndWait(t, nclients, [&](int cli, Tester::Client& clerk) {
          writes[cli] = RunClient(t, cli, clerk, nclients, randomkeys, done_clients);
        });
      });
      lab::TaskScope partitioner("partitioner");
      if (partitions) {
        // Allow the clients to perform some operations without interruption.
        lab::sleep_for(1s);
        partitioner.Go("partitioner", [&] { Partitioner(t, done_partitioner); });
      }
      lab::sleep_for(5s);
      done_clients = true;      // tell the clients to quit
      done_partitioner = true;  // tell the partitioner to quit

      if (partitions) {
        partitioner.Wait();
        // Reconnect the network and let a leader emerge before the checks below.
        t.ConnectAll();
        lab::sleep_for(kElectionTimeout);
      }
      if (crash) {
        for (int i = 0; i < nservers; ++i) t.ShutdownServer(i);
        // Wait for the clients' operations in flight to give up on the dead servers.
        lab::sleep_for(kElectionTimeout);
        for (int i = 0; i < nservers; ++i) t.StartServer(i);
        t.ConnectAll();
      }
      clients.Wait();  // each client finishes its last operation
    }

    for (int i = 0; i < nclients; ++i) {
      const std::string v = t.Get(*ck, std::to_string(i), &t.history(), 0);
      if (!randomkeys) kvtest::CheckClntAppends(i, v, writes[i]);
    }

    if (maxraftstate > 0) {
      // The servers must trim their logs: the Raft state may not grow past 8 x maxraftstate.
      const std::size_t sz = t.LogSize();
      if (sz > 8 * static_cast<std::size_t>(maxraftstate)) {
        Tester::Fail(fmt::format(
            "logs were not trimmed ({} > 8*{})\n(snapshot with Raft::Snapshot when "
            "persister->RaftStateSize() nears maxraftstate, and make Raft drop the entries "
            "the snapshot covers)",
            sz, maxraftstate));
      }
    }
    if (maxraftstate < 0) {
      // With maxraftstate = -1 there must be no snapshot.
      const std::size_t ssz = t.SnapshotSize();
      if (ssz > 0) {
        Tester::Fail(
            fmt::format("snapshot too large ({}), should not be used when maxraftstate = {}", ssz,
                        maxraftstate));
      }
    }
  }

  t.history().CheckLinearizable();
  t.End();
}

void GenericTestSpeed(std::string_view part, int maxraftstate) {
  constexpr int kNumOps = 1000;
  Tester t(3, /*unreliable=*/false, maxraftstate);
  std::shared_ptr<Tester::Client> ck = t.MakeClient(t.All());
  t.Begin(fmt::format("Test: ops complete fast enough ({})", part));

  // Wait until the first operation completes: a leader is elected and the servers serve.
  ck->clerk->Get("x");
  const lab::TimePoint start = lab::now();
  for (int i = 0; i < kNumOps; ++i) ck->clerk->Append("x", kvtest::AppendElement(0, i));
  const lab::Duration dur = lab::now() - start;

  const std::string v = ck->clerk->Get("x");
  kvtest::CheckClntAppends(0, v, kNumOps);

  // The heartbeat interval is about 100 ms; require at least 3 operations per interval.
  constexpr auto kTimePerOp = std::chrono::duration<double, std::milli>(100.0 / 3);
  const auto per_op = std::chrono::duration<double, std::milli>(dur) / kNumOps;
  if (per_op > kTimePerOp) {
    Tester::Fail(fmt::format(
        "Operations completed too slowly {:.2f}ms/op > {:.2f}ms/op\n(each operation must "
        "commit without waiting for a heartbeat: Raft should send AppendEntries as soon as "
        "Start is called, and neither the clerk nor the server should poll with sleeps)",
        per_op.count(), kTimePerOp.count()));
  }
  t.End();
}

}  // namespace kvraft
