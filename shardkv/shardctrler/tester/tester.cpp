// The shard controller tester (6.824's shardctrler/config.go). The contract is in tester.h.
//
// Framework file: grading uses the original. Edit it only to debug.
#include "shardkv/shardctrler/tester/tester.h"

#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "labrpc/record.h"
#include "shardctrler/server.h"

namespace shardctrler {
namespace {

using namespace std::chrono_literals;

// One running ShardCtrler, as the server group sees it.
class CtrlerNode : public kvtest::Node {
 public:
  explicit CtrlerNode(std::unique_ptr<ShardCtrler> sc) : sc_(std::move(sc)) {}
  void Kill() override { sc_->Kill(); }
  bool IsLeader() override { return sc_->raft().GetState().is_leader; }

 private:
  std::unique_ptr<ShardCtrler> sc_;
};

std::unique_ptr<kvtest::Node> StartCtrler(const kvtest::NodeContext& context, lab::Server& server) {
  auto sc = std::make_unique<ShardCtrler>(context.peers, context.me, context.persister);
  auto sc_service = std::make_shared<lab::Service>("ShardCtrler");
  sc->RegisterRpcs(*sc_service);
  server.AddService(sc_service);
  auto raft_service = std::make_shared<lab::Service>("Raft");
  sc->raft().RegisterRpcs(*raft_service);
  server.AddService(raft_service);
  return std::make_unique<CtrlerNode>(std::move(sc));
}

}  // namespace

Tester::Tester(int n, bool unreliable)
    : net_(std::make_shared<lab::Network>()), group_(net_, n, "", StartCtrler) {
  net_->Latency(1ms, 5ms);
  try {
    group_.StartAll();
    group_.ConnectAll();
  } catch (...) {
    group_.Cleanup();
    net_->Cleanup();
    throw;
  }
  net_->Reliable(!unreliable);
}

Tester::~Tester() {
  group_.Cleanup();
  net_->Cleanup();
}

void Tester::Fail(std::string message) { lab::Fatal(std::move(message)); }

void Tester::Begin(std::string_view description) {
  fmt::print("{} ...\n", description);
  std::fflush(stdout);
  lab::record::Note("progress", lab::CurrentGroupName(), "Begin", description);
}

void Tester::End() {
  time_limit_.Check();
  lab::record::Note("progress", lab::CurrentGroupName(), "End", "Passed");
  fmt::print("  ... Passed\n");
  std::fflush(stdout);
}

// ---- Servers and network ----

void Tester::StartServer(int i) { group_.StartServer(i); }

void Tester::ShutdownServer(int i) { group_.ShutdownServer(i); }

void Tester::ConnectAll() { group_.ConnectAll(); }

void Tester::Partition(const std::vector<int>& p1, const std::vector<int>& p2) {
  group_.Partition(p1, p2);
}

std::pair<std::vector<int>, std::vector<int>> Tester::MakePartition() {
  return group_.MakePartition();
}

std::optional<int> Tester::Leader() { return group_.Leader(); }

void Tester::SetUnreliable(bool unreliable) { net_->Reliable(!unreliable); }

// ---- Clerks ----

std::shared_ptr<Tester::Client> Tester::MakeClient(const std::vector<int>& to) {
  auto client = std::make_shared<Client>();
  client->ends = group_.MakeClientEnds(to);
  // The Clerk gets the ends in a random order (random_handles).
  client->clerk = std::make_unique<Clerk>(client->ends.Shuffled());
  return client;
}

void Tester::DeleteClient(const Client& client) { group_.DeleteClientEnds(client.ends); }

void Tester::ConnectClient(const Client& client, const std::vector<int>& to) {
  group_.ConnectClientEnds(client.ends, to);
}

}  // namespace shardctrler
