// A replicated service's servers on the fake network. The contract is in server_group.h.
#include "grading/kvtest/server_group.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "labrpc/check.h"
#include "labrpc/record.h"

namespace kvtest {

std::string RandString(int n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string s(static_cast<std::size_t>(n), ' ');
  for (char& c : s) c = kAlphabet[lab::rand_int(64)];
  return s;
}

ServerGroup::ServerGroup(std::shared_ptr<lab::Network> net, int n, std::string prefix,
                         NodeFactory factory)
    : net_(std::move(net)),
      n_(n),
      prefix_(std::move(prefix)),
      factory_(std::move(factory)),
      instances_(n),
      saved_(n),
      end_names_(n) {
  LAB_CHECK(n >= 1, "kvtest::ServerGroup needs at least one server (got {})", n);
}

ServerGroup::~ServerGroup() { Cleanup(); }

void ServerGroup::Cleanup() {
  std::vector<std::shared_ptr<Instance>> instances;
  {
    std::lock_guard lock(mu_);
    instances = instances_;
  }
  for (const auto& instance : instances) {
    if (instance == nullptr) continue;
    try {
      lab::InGroup(instance->group, [&] { instance->node->Kill(); });
    } catch (...) {
      // The run is failing, or Kill is a stub that throws: the group is cancelled below.
    }
  }
  // Only when no task of a server remains may its node be destroyed.
  for (const auto& instance : instances) {
    if (instance == nullptr) continue;
    instance->group->Cancel();
    lab::WaitEvenIfCancelled(*instance->group);
  }
  std::lock_guard lock(mu_);
  for (auto& instance : instances_) instance = nullptr;
}

// ---- Servers ----

void ServerGroup::ShutdownServer(int i) {
  LAB_CHECK(i >= 0 && i < n_, "kvtest: no server {} (there are {})", i, n_);
  Disconnect(i, All());
  // No reply from the old instance is delivered after this: otherwise a clerk could see
  // success for an operation saved into a persister that is replaced below.
  net_->DeleteServer(ServerName(i));
  std::shared_ptr<Instance> instance;
  {
    std::lock_guard lock(mu_);
    // A fresh persister holding what was saved so far: whatever the dying instance saves
    // from now on goes to the old one, so the next instance sees the state at the crash.
    if (saved_[i] != nullptr) saved_[i] = saved_[i]->Copy();
    instance = instances_[i];
  }
  if (instance == nullptr) return;
  if (lab::record::Recording()) lab::record::Note("crash", GroupName(i));
  lab::InGroup(instance->group, [&] { instance->node->Kill(); });
  // If this throws (the run is failing), instances_[i] still holds the instance and Cleanup
  // reaps it: a node is never destroyed while its tasks run.
  instance->group->CancelAndWait();
  std::lock_guard lock(mu_);
  instances_[i] = nullptr;
}

void ServerGroup::StartServer(int i) {
  ShutdownServer(i);

  // Fresh outgoing end names: nothing the old instance held can ever send again. They stay
  // disabled until Connect.
  NodeContext context;
  context.me = i;
  std::vector<std::string> names(static_cast<std::size_t>(n_));
  for (int j = 0; j < n_; ++j) {
    names[j] = RandString(20);
    context.peers.push_back(net_->MakeEnd(names[j]));
    net_->Connect(names[j], ServerName(j));
  }
  bool restart = false;  // server i ran before (first boots are not noted on the timeline)
  {
    std::lock_guard lock(mu_);
    end_names_[i] = names;
    // A copy, so the old instance cannot overwrite what the new one reads.
    restart = saved_[i] != nullptr;
    saved_[i] = restart ? saved_[i]->Copy() : std::make_shared<lab::Persister>();
    context.persister = saved_[i];
  }
  if (restart && lab::record::Recording()) lab::record::Note("restart", GroupName(i));

  auto instance = std::make_shared<Instance>();
  instance->group = lab::Group::Create(GroupName(i));
  auto server = std::make_shared<lab::Server>(instance->group);
  try {
    lab::InGroup(instance->group, [&] { instance->node = factory_(context, *server); });
  } catch (...) {
    // The constructor threw (a stub, say) after starting tasks that use the half-built
    // object: they must be gone before the exception leaves this frame.
    instance->group->Cancel();
    lab::WaitEvenIfCancelled(*instance->group);
    throw;
  }
  {
    std::lock_guard lock(mu_);
    instances_[i] = instance;
  }
  net_->AddServer(ServerName(i), server);
}

void ServerGroup::StartAll() {
  for (int i = 0; i < n_; ++i) StartServer(i);
}

void ServerGroup::ShutdownAll() {
  for (int i = 0; i < n_; ++i) ShutdownServer(i);
}

bool ServerGroup::Alive(int i) {
  std::lock_guard lock(mu_);
  return instances_[i] != nullptr;
}

// ---- Network ----

void ServerGroup::SetLinks(int i, const std::vector<int>& others, bool enabled) {
  for (int j : others) {
    LAB_CHECK(j >= 0 && j < n_, "kvtest: no server {} (there are {})", j, n_);
    if (!end_names_[i].empty()) net_->Enable(end_names_[i][j], enabled);  // outgoing
    if (!end_names_[j].empty()) net_->Enable(end_names_[j][i], enabled);  // incoming
  }
}

void ServerGroup::Connect(int i, const std::vector<int>& to) {
  std::lock_guard lock(mu_);
  SetLinks(i, to, true);
}

void ServerGroup::Disconnect(int i, const std::vector<int>& from) {
  std::lock_guard lock(mu_);
  SetLinks(i, from, false);
}

std::vector<int> ServerGroup::All() const {
  std::vector<int> all(static_cast<std::size_t>(n_));
  for (int i = 0; i < n_; ++i) all[i] = i;
  return all;
}

void ServerGroup::ConnectAll() {
  for (int i = 0; i < n_; ++i) Connect(i, All());
  bool healed = false;
  {
    std::lock_guard lock(mu_);
    healed = std::exchange(partitioned_, false);
  }
  if (healed) lab::record::Note("partition", lab::CurrentGroupName(), {}, "healed: all connected");
}

void ServerGroup::Partition(const std::vector<int>& p1, const std::vector<int>& p2) {
  for (int i = 0; i < n_; ++i) Disconnect(i, All());
  for (int i : p1) Connect(i, p1);
  for (int i : p2) Connect(i, p2);
  {
    std::lock_guard lock(mu_);
    partitioned_ = true;
  }
  if (lab::record::Recording()) {
    lab::record::Note(
        "partition", lab::CurrentGroupName(), {},
        fmt::format("partition {{{}}} | {{{}}}", fmt::join(p1, ","), fmt::join(p2, ",")));
  }
}

std::optional<int> ServerGroup::Leader() {
  for (int i = 0; i < n_; ++i) {
    std::shared_ptr<Instance> instance;
    {
      std::lock_guard lock(mu_);
      instance = instances_[i];
    }
    if (instance == nullptr) continue;
    bool is_leader = false;
    lab::InGroup(instance->group, [&] { is_leader = instance->node->IsLeader(); });
    if (is_leader) return i;
  }
  return std::nullopt;
}

std::pair<std::vector<int>, std::vector<int>> ServerGroup::MakePartition() {
  const int leader = Leader().value_or(0);
  std::vector<int> p1;
  std::vector<int> p2;
  for (int i = 0; i < n_; ++i) {
    if (i == leader) continue;
    if (static_cast<int>(p1.size()) < n_ / 2 + 1) {
      p1.push_back(i);
    } else {
      p2.push_back(i);
    }
  }
  p2.push_back(leader);
  return {p1, p2};
}

// ---- Clerk ends ----

std::vector<std::shared_ptr<lab::ClientEnd>> ClientEnds::Shuffled() const {
  std::vector<std::shared_ptr<lab::ClientEnd>> shuffled = ends;
  for (std::size_t i = shuffled.size(); i > 1; --i) {
    std::swap(shuffled[i - 1], shuffled[static_cast<std::size_t>(lab::rand_int(i))]);
  }
  return shuffled;
}

ClientEnds ServerGroup::MakeClientEnds(const std::vector<int>& to) {
  ClientEnds ends;
  for (int j = 0; j < n_; ++j) {
    ends.names.push_back(RandString(20));
    ends.ends.push_back(net_->MakeEnd(ends.names.back()));
    net_->Connect(ends.names.back(), ServerName(j));
  }
  ConnectClientEnds(ends, to);
  return ends;
}

void ServerGroup::ConnectClientEnds(const ClientEnds& ends, const std::vector<int>& to) {
  for (int j = 0; j < n_; ++j) {
    net_->Enable(ends.names[j], std::find(to.begin(), to.end(), j) != to.end());
  }
}

void ServerGroup::DeleteClientEnds(const ClientEnds& ends) {
  for (const std::string& name : ends.names) net_->DeleteEnd(name);
}

// ---- Sizes ----

std::size_t ServerGroup::LogSize() {
  std::lock_guard lock(mu_);
  std::size_t size = 0;
  for (const auto& persister : saved_) {
    if (persister != nullptr) size = std::max(size, persister->RaftStateSize());
  }
  return size;
}

std::size_t ServerGroup::SnapshotSize() {
  std::lock_guard lock(mu_);
  std::size_t size = 0;
  for (const auto& persister : saved_) {
    if (persister != nullptr) size = std::max(size, persister->SnapshotSize());
  }
  return size;
}

std::size_t ServerGroup::LogSize(int i) {
  LAB_CHECK(i >= 0 && i < n_, "kvtest: no server {} (there are {})", i, n_);
  std::lock_guard lock(mu_);
  return saved_[i] != nullptr ? saved_[i]->RaftStateSize() : 0;
}

std::size_t ServerGroup::SnapshotSize(int i) {
  LAB_CHECK(i >= 0 && i < n_, "kvtest: no server {} (there are {})", i, n_);
  std::lock_guard lock(mu_);
  return saved_[i] != nullptr ? saved_[i]->SnapshotSize() : 0;
}

}  // namespace kvtest
