// The Raft tester (6.824's config.go). The contract is in tester.h.
//
// Framework file: grading uses the original. Edit it only to debug.
#include "raft/tester/tester.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "labrpc/check.h"
#include "labrpc/debug.h"
#include "labrpc/record.h"
#include "raft/unimplemented.h"

namespace raft {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A command as the original prints it with %v: strings bare, everything else as JSON.
std::string Show(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string Show(const std::map<int, nlohmann::json>& log) {
  std::string out = "map[";
  for (const auto& [index, command] : log) {
    if (out.size() > 4) out += ' ';
    out += fmt::format("{}:{}", index, Show(command));
  }
  return out + "]";
}

}  // namespace

std::string RandString(int n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string s(static_cast<std::size_t>(n), ' ');
  for (char& c : s) c = kAlphabet[lab::rand_int(64)];
  return s;
}

std::int64_t RandInt() { return static_cast<std::int64_t>(lab::rand() >> 1); }

// ---- Construction and cleanup ----

Tester::Tester(int n, bool unreliable, bool snapshot)
    : n_(n),
      applier_kind_(snapshot ? ApplierKind::kSnapshot : ApplierKind::kPlain),
      net_(std::make_shared<lab::Network>()),
      start_(lab::now()),
      instances_(n),
      connected_(n, false),
      saved_(n),
      end_names_(n),
      logs_(n),
      last_applied_(n, 0) {
  LAB_CHECK(n >= 1, "raft::Tester needs at least one server (got {})", n);
  // The original checks its 120 s limit only when a test ends, and relies on `go test`'s
  // 10-minute timeout to stop a test stuck inside Raft (a deadlocked Start, say). A task of
  // its own fails the run as soon as the limit passes instead: the verdict is the same, and a
  // stuck test costs 120 s of virtual time rather than the run's whole limit.
  watchdog_ = lab::Group::Create("tester-watchdog");
  watchdog_->Go("time-limit", [] {
    lab::sleep_for(kTestTimeLimit);
    // What every task is doing shows where the run got stuck (e.g. an applier blocked on the
    // apply channel while holding the Raft mutex that the service's Snapshot call needs).
    lab::Fatal(fmt::format("test took longer than {} seconds; the tasks at that moment:\n{}",
                           kTestTimeLimit.count(), lab::DescribeTasks()));
  });
  SetUnreliable(unreliable);
  // Always: an unreachable peer's RPC fails only after up to 7 s, so a Raft that waits for
  // each RPC in turn (instead of sending them in parallel) falls visibly behind.
  net_->LongDelays(true);
  try {
    for (int i = 0; i < n_; ++i) Start1(i);
    for (int i = 0; i < n_; ++i) Connect(i);
  } catch (...) {
    // No destructor runs for a half-built Tester: stop the servers already started before
    // their Rafts are destroyed with instances_.
    Cleanup();
    throw;
  }
}

Tester::~Tester() {
  Cleanup();
  detail::part_under_test.store(0, std::memory_order_relaxed);
}

void Tester::Cleanup() {
  watchdog_->Cancel();
  lab::WaitEvenIfCancelled(*watchdog_);
  std::vector<std::shared_ptr<Instance>> instances;
  {
    std::lock_guard lock(mu_);
    finished_ = true;
    instances = instances_;
  }
  for (const auto& instance : instances) {
    if (instance == nullptr) continue;
    try {
      lab::InGroup(instance->group, [&] { instance->raft->Kill(); });
    } catch (...) {
      // The run is failing (Kill met lab::Cancelled), or Kill is a stub that throws: a
      // destructor must not throw, and the group is cancelled below anyway.
    }
  }
  // Only when no task of a server remains may its Raft be destroyed (with instances_).
  for (const auto& instance : instances) {
    if (instance == nullptr) continue;
    instance->group->Cancel();
    lab::WaitEvenIfCancelled(*instance->group);
  }
  net_->Cleanup();
}

namespace {

// A change to server i (and its link to server j) on the run's timeline (labrpc/record.h);
// free when no timeline is recorded: the names are built only when one is.
void NoteServer(const char* kind, int i, int j = -1) {
  if (!lab::record::Recording()) return;
  lab::record::Note(kind, "server-" + std::to_string(i), {},
                    j < 0 ? std::string() : "server-" + std::to_string(j));
}

}  // namespace

// ---- Begin / End ----

void Tester::Begin(std::string_view description) {
  fmt::print("{} ...\n", description);
  std::fflush(stdout);
  LAB_DEBUG("tester", "Begin: {}", description);
  lab::record::Note("progress", lab::CurrentGroupName(), "Begin", description);
  // "Test (2C): ..." -> 'C': which stubs must say they are not implemented, and whether End
  // checks that state was saved.
  const std::size_t part = description.find("(2");
  if (part != std::string_view::npos && part + 3 < description.size() &&
      description[part + 3] == ')') {
    part_ = description[part + 2];
    detail::part_under_test.store(part_, std::memory_order_relaxed);
  }
  t0_ = lab::now();
  rpcs0_ = RpcTotal();
  bytes0_ = BytesTotal();
  std::lock_guard lock(mu_);
  max_index0_ = max_index_;
}

void Tester::End() {
  CheckTimeout();
  if (part_ >= 'C') CheckStateSaved();
  const double t = std::chrono::duration<double>(lab::now() - t0_).count();
  const std::int64_t nrpc = RpcTotal() - rpcs0_;
  const std::int64_t nbytes = BytesTotal() - bytes0_;
  int ncmds = 0;
  {
    std::lock_guard lock(mu_);
    ncmds = max_index_ - max_index0_;
  }
  LAB_DEBUG("tester", "End: passed");
  lab::record::Note("progress", lab::CurrentGroupName(), "End", "Passed");
  fmt::print("  ... Passed --  {:4.1f}  {} {:4} {:7} {:4}\n", t, n_, nrpc, nbytes, ncmds);
  std::fflush(stdout);
}

void Tester::CheckStateSaved() {
  int committed = 0;
  int saved = 0;
  {
    std::lock_guard lock(mu_);
    committed = max_index_;
    for (const auto& persister : saved_) {
      if (persister != nullptr &&
          (persister->RaftStateSize() > 0 || persister->SnapshotSize() > 0)) {
        ++saved;
      }
    }
  }
  // Each committed entry was acknowledged by a majority, and a follower saves the entry (and
  // its term) before it acknowledges it: so at least a majority less the leader saved state,
  // and saved state never disappears (a crashed server's persister is kept).
  const int need = n_ / 2;
  if (committed == 0 || saved >= need) return;
  Fail(fmt::format(
      "persistence: entries up to index {} were committed, but only {} of the {} servers ever "
      "saved any state; Persister::RaftStateSize() is 0 for the others. A committed entry is "
      "saved by at least {} server(s) besides the leader, since Figure 2 has a server save "
      "currentTerm, votedFor and log[] before it answers an RPC. Does Persist() save them, "
      "and is it called wherever they change (2C)?",
      committed, saved, n_, need));
}

void Tester::CheckTimeout() {
  // The original limits every test to 120 s of real time; here the clock is the run's.
  if (lab::now() - start_ > kTestTimeLimit) {
    Fail(fmt::format("test took longer than {} seconds", kTestTimeLimit.count()));
  }
}

void Tester::Fail(std::string message) { lab::Fatal(std::move(message)); }

// ---- Servers: crash, start, connect ----

void Tester::Crash1(int i) {
  if (Alive(i)) {
    LAB_DEBUG("tester", "crash server {}", i);
    NoteServer("crash", i);
  }
  Disconnect(i);
  // No reply from the old instance is delivered after this: otherwise a caller could see
  // success for something saved into a persister that is replaced below.
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
  lab::InGroup(instance->group, [&] { instance->raft->Kill(); });
  // If this throws (the run is failing), instances_[i] still holds the instance and the
  // destructor reaps it; the Raft is never destroyed while its tasks run.
  instance->group->CancelAndWait();
  std::lock_guard lock(mu_);
  instances_[i] = nullptr;
}

void Tester::Start1(int i) {
  Crash1(i);
  // A restart reads what was saved: from 2C on, make sure something was (see CheckStateSaved),
  // so that a Raft that saves nothing hears why, not a confusing apply error afterwards.
  if (part_ >= 'C') CheckStateSaved();
  NoteServer("restart", i);
  LAB_DEBUG("tester", "start server {} (from what it saved: {} bytes of Raft state)", i, [&] {
    std::lock_guard lock(mu_);
    return saved_[i] != nullptr ? saved_[i]->RaftStateSize() : 0;
  }());

  // A fresh set of outgoing end names, so that nothing the old instance held can ever send
  // again. The ends stay disabled until Connect(i).
  std::vector<std::string> names(static_cast<std::size_t>(n_));
  std::vector<std::shared_ptr<lab::ClientEnd>> ends(static_cast<std::size_t>(n_));
  for (int j = 0; j < n_; ++j) {
    names[j] = RandString(20);
    ends[j] = net_->MakeEnd(names[j]);
    net_->Connect(names[j], ServerName(j));
  }

  std::shared_ptr<lab::Persister> persister;
  {
    std::lock_guard lock(mu_);
    end_names_[i] = names;
    last_applied_[i] = 0;
    if (saved_[i] != nullptr) {
      // A copy, so the old instance cannot overwrite what the new one reads; it holds the
      // last saved state, which is what Raft's constructor must restore.
      saved_[i] = saved_[i]->Copy();
      const lab::Bytes snapshot = saved_[i]->ReadSnapshot();
      if (!snapshot.empty()) {
        // Do what a restarting service does: restore its state from the snapshot.
        std::string error = IngestSnap(i, snapshot, -1);
        if (!error.empty()) Fail(error);
      }
    } else {
      saved_[i] = std::make_shared<lab::Persister>();
    }
    persister = saved_[i];
  }

  auto apply_ch = std::make_shared<lab::Chan<ApplyMsg>>();  // unbuffered, as in Go
  auto instance = std::make_shared<Instance>();
  instance->group = lab::Group::Create("server-" + std::to_string(i));
  try {
    lab::InGroup(instance->group,
                 [&] { instance->raft = std::make_shared<Raft>(ends, i, persister, apply_ch); });
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

  // The applier belongs to the server: it dies with it, and the Raft it calls outlives it.
  if (applier_kind_ == ApplierKind::kSnapshot) {
    instance->group->Go("tester-applier", [this, i, raft = instance->raft.get(), apply_ch] {
      ApplierSnap(i, raft, apply_ch);
    });
  } else {
    instance->group->Go("tester-applier", [this, i, apply_ch] { Applier(i, apply_ch); });
  }

  auto service = std::make_shared<lab::Service>("Raft");
  instance->raft->RegisterRpcs(*service);
  auto server = std::make_shared<lab::Server>(instance->group);
  server->AddService(service);
  net_->AddServer(ServerName(i), server);
}

void Tester::Connect(int i) {
  std::lock_guard lock(mu_);
  if (!connected_[i]) {
    LAB_DEBUG("tester", "connect server {}", i);
    NoteServer("connect", i);
  }
  connected_[i] = true;
  for (int j = 0; j < n_; ++j) {
    if (!connected_[j]) continue;
    if (!end_names_[i].empty()) net_->Enable(end_names_[i][j], true);  // outgoing
    if (!end_names_[j].empty()) net_->Enable(end_names_[j][i], true);  // incoming
  }
}

void Tester::Disconnect(int i) {
  std::lock_guard lock(mu_);
  if (connected_[i]) {
    LAB_DEBUG("tester", "disconnect server {}", i);
    NoteServer("disconnect", i);
  }
  connected_[i] = false;
  for (int j = 0; j < n_; ++j) {
    if (!end_names_[i].empty()) net_->Enable(end_names_[i][j], false);  // outgoing
    if (!end_names_[j].empty()) net_->Enable(end_names_[j][i], false);  // incoming
  }
}

void Tester::SetLink(int i, int j, bool enabled) {
  LAB_CHECK(i != j && i >= 0 && j >= 0 && i < n_ && j < n_, "raft::Tester: no link {}-{}", i, j);
  LAB_DEBUG("tester", "{} the link between servers {} and {}", enabled ? "enable" : "disable", i,
            j);
  NoteServer(enabled ? "link-up" : "link-down", i, j);
  std::lock_guard lock(mu_);
  if (!end_names_[i].empty()) net_->Enable(end_names_[i][j], enabled);
  if (!end_names_[j].empty()) net_->Enable(end_names_[j][i], enabled);
}

void Tester::SetUnreliable(bool unreliable) {
  LAB_DEBUG("tester", "network {}", unreliable ? "unreliable" : "reliable");
  net_->Reliable(!unreliable);
}

void Tester::SetLongReordering(bool long_reordering) {
  LAB_DEBUG("tester", "long reordering {}", long_reordering ? "on" : "off");
  net_->LongReordering(long_reordering);
}

bool Tester::Connected(int i) {
  std::lock_guard lock(mu_);
  return connected_[i];
}

bool Tester::Alive(int i) { return InstanceOf(i) != nullptr; }

std::shared_ptr<Tester::Instance> Tester::InstanceOf(int i) {
  LAB_CHECK(i >= 0 && i < n_, "raft::Tester: no server {} (there are {})", i, n_);
  std::lock_guard lock(mu_);
  return instances_[i];
}

// ---- Calls into a Raft ----

StartResult Tester::Start(int i, const nlohmann::json& command) {
  std::shared_ptr<Instance> instance = InstanceOf(i);
  if (instance == nullptr) return StartResult{-1, -1, false};
  StartResult result;
  lab::InGroup(instance->group, [&] { result = instance->raft->Start(command); });
  // Only the calls a leader accepts: One() offers each command to every server in turn.
  if (result.is_leader) {
    LAB_DEBUG("tester", "Start({}) on server {}: index {}, term {}", command.dump(), i,
              result.index, result.term);
  }
  return result;
}

RaftState Tester::GetState(int i) {
  std::shared_ptr<Instance> instance = InstanceOf(i);
  LAB_CHECK(instance != nullptr, "raft::Tester::GetState({}): server {} is crashed (test bug)", i,
            i);
  RaftState state;
  lab::InGroup(instance->group, [&] { state = instance->raft->GetState(); });
  return state;
}

// ---- Checks ----

int Tester::CheckOneLeader() {
  for (int iters = 0; iters < 10; ++iters) {
    lab::sleep_for(milliseconds(450 + lab::rand_int(100)));

    std::map<int, std::vector<int>> leaders;  // term -> servers claiming to lead in it
    for (int i = 0; i < n_; ++i) {
      if (!Connected(i) || !Alive(i)) continue;
      RaftState state = GetState(i);
      if (state.is_leader) leaders[state.term].push_back(i);
    }
    int last_term_with_leader = -1;
    for (const auto& [term, ids] : leaders) {
      if (ids.size() > 1) Fail(fmt::format("term {} has {} (>1) leaders", term, ids.size()));
      last_term_with_leader = std::max(last_term_with_leader, term);
    }
    if (!leaders.empty()) return leaders[last_term_with_leader][0];
  }
  Fail("expected one leader, got none");
}

int Tester::CheckTerms() {
  int term = -1;
  for (int i = 0; i < n_; ++i) {
    if (!Connected(i) || !Alive(i)) continue;
    const int xterm = GetState(i).term;
    if (term == -1) {
      term = xterm;
    } else if (term != xterm) {
      Fail("servers disagree on term");
    }
  }
  return term;
}

void Tester::CheckNoLeader() {
  for (int i = 0; i < n_; ++i) {
    if (!Connected(i) || !Alive(i)) continue;
    if (GetState(i).is_leader) {
      Fail(
          fmt::format("expected no leader among connected servers, but {} claims to be leader", i));
    }
  }
}

std::pair<int, nlohmann::json> Tester::NCommitted(int index) {
  std::lock_guard lock(mu_);
  int count = 0;
  nlohmann::json command;
  for (int i = 0; i < n_; ++i) {
    auto it = logs_[i].find(index);
    if (it == logs_[i].end()) continue;
    if (count > 0 && command != it->second) {
      Fail(fmt::format("committed values do not match: index {}, {}, {}", index, Show(command),
                       Show(it->second)));
    }
    ++count;
    command = it->second;
  }
  return {count, command};
}

std::optional<nlohmann::json> Tester::Wait(int index, int n, int start_term) {
  milliseconds to(10);
  for (int iters = 0; iters < 30; ++iters) {
    if (NCommitted(index).first >= n) break;
    lab::sleep_for(to);
    if (to < seconds(1)) to *= 2;
    if (start_term > -1) {
      for (int i = 0; i < n_; ++i) {
        // Someone has moved on: agreement in start_term can no longer be expected.
        if (Alive(i) && GetState(i).term > start_term) return std::nullopt;
      }
    }
  }
  auto [nd, command] = NCommitted(index);
  if (nd < n) Fail(fmt::format("only {} decided for index {}; wanted {}", nd, index, n));
  return command;
}

int Tester::One(const nlohmann::json& command, int expected_servers, bool retry) {
  const lab::TimePoint t0 = lab::now();
  int starts = 0;  // round-robin cursor over the servers; the first one tried is server 1
  auto finished = [this] {
    std::lock_guard lock(mu_);
    return finished_;
  };
  while (lab::now() - t0 < seconds(10) && !finished()) {
    // Try every connected server: one of them may be the leader.
    int index = -1;
    for (int si = 0; si < n_; ++si) {
      starts = (starts + 1) % n_;
      if (!Connected(starts)) continue;
      StartResult r = Start(starts, command);
      if (r.is_leader) {
        index = r.index;
        break;
      }
    }
    if (index == -1) {
      lab::sleep_for(milliseconds(50));
      continue;
    }
    // Somebody claimed to be the leader and to have submitted the command: wait a while
    // for agreement.
    const lab::TimePoint t1 = lab::now();
    while (lab::now() - t1 < seconds(2)) {
      auto [nd, committed] = NCommitted(index);
      // Committed, and it was the command we submitted.
      if (nd > 0 && nd >= expected_servers && committed == command) return index;
      lab::sleep_for(milliseconds(20));
    }
    if (!retry) Fail(fmt::format("one({}) failed to reach agreement", Show(command)));
  }
  if (!finished()) Fail(fmt::format("one({}) failed to reach agreement", Show(command)));
  return -1;
}

// ---- Statistics ----

int Tester::RpcCount(int i) { return net_->GetCount(ServerName(i)); }
std::int64_t Tester::RpcTotal() { return net_->GetTotalCount(); }
std::int64_t Tester::BytesTotal() { return net_->GetTotalBytes(); }

std::size_t Tester::LogSize() {
  std::lock_guard lock(mu_);
  std::size_t size = 0;
  for (const auto& persister : saved_) {
    if (persister != nullptr) size = std::max(size, persister->RaftStateSize());
  }
  return size;
}

// ---- Appliers ----

std::pair<std::string, bool> Tester::CheckLogs(int i, const ApplyMsg& m) {
  std::string error;
  const nlohmann::json& v = m.command;
  for (int j = 0; j < n_; ++j) {
    auto old = logs_[j].find(m.command_index);
    if (old != logs_[j].end() && old->second != v) {
      // Some server has already committed a different value for this entry!
      fmt::print(stderr, "{}: log {}; server {}\n", i, Show(logs_[i]), Show(logs_[j]));
      error = fmt::format("commit index={} server={} {} != server={} {}", m.command_index, i,
                          Show(m.command), j, Show(old->second));
    }
  }
  const bool prev_ok = logs_[i].contains(m.command_index - 1);
  logs_[i][m.command_index] = v;
  max_index_ = std::max(max_index_, m.command_index);
  return {error, prev_ok};
}

void Tester::Applier(int i, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch) {
  while (std::optional<ApplyMsg> m = apply_ch->recv()) {
    if (!m->command_valid) continue;  // ignore other kinds of ApplyMsg
    std::string error;
    bool prev_ok = false;
    {
      std::lock_guard lock(mu_);
      std::tie(error, prev_ok) = CheckLogs(i, *m);
    }
    if (m->command_index < 1) {
      error = fmt::format("server {} applied invalid index {}", i, m->command_index);
    } else if (m->command_index > 1 && !prev_ok) {
      error = fmt::format("server {} apply out of order {}", i, m->command_index);
    }
    if (!error.empty()) Fail("apply error: " + error);
  }
}

void Tester::ApplierSnap(int i, Raft* raft, std::shared_ptr<lab::Chan<ApplyMsg>> apply_ch) {
  while (std::optional<ApplyMsg> m = apply_ch->recv()) {
    std::string error;
    lab::Bytes snapshot;
    if (m->snapshot_valid) {
      std::lock_guard lock(mu_);
      error = IngestSnap(i, m->snapshot, m->snapshot_index);
    } else if (m->command_valid) {
      std::lock_guard lock(mu_);
      if (m->command_index != last_applied_[i] + 1) {
        error = fmt::format("server {} apply out of order, expected index {}, got {}", i,
                            last_applied_[i] + 1, m->command_index);
      }
      if (error.empty()) {
        bool prev_ok = false;
        std::tie(error, prev_ok) = CheckLogs(i, *m);
        if (m->command_index > 1 && !prev_ok) {
          error = fmt::format("server {} apply out of order {}", i, m->command_index);
        }
      }
      last_applied_[i] = m->command_index;
      if (error.empty() && (m->command_index + 1) % kSnapshotInterval == 0) {
        snapshot = MakeSnapshot(i, m->command_index);
      }
    }
    if (!error.empty()) Fail("apply error: " + error);
    // Called without mu_: Raft may take its own lock here.
    if (!snapshot.empty()) raft->Snapshot(m->command_index, std::move(snapshot));
  }
}

lab::Bytes Tester::MakeSnapshot(int i, int index) {
  // The index, then every command up to it (slot 0 holds null), as the original's labgob
  // encoding of (int, []interface{}).
  nlohmann::json xlog = nlohmann::json::array();
  for (int j = 0; j <= index; ++j) {
    auto it = logs_[i].find(j);
    xlog.push_back(it != logs_[i].end() ? it->second : nlohmann::json());
  }
  return lab::Encoder().Put(index).Put(xlog).Finish();
}

std::string Tester::IngestSnap(int i, const lab::Bytes& snapshot, int index) {
  if (snapshot.empty()) Fail("nil snapshot");
  int last_included_index = 0;
  std::vector<nlohmann::json> xlog;
  try {
    lab::Decoder d(snapshot);
    last_included_index = d.Get<int>();
    xlog = d.Get<std::vector<nlohmann::json>>();
  } catch (const lab::CodecError&) {
    Fail("snapshot decode error");
  }
  if (index != -1 && index != last_included_index) {
    return fmt::format("server {} snapshot doesn't match m.SnapshotIndex", i);
  }
  logs_[i].clear();
  for (std::size_t j = 0; j < xlog.size(); ++j) logs_[i][static_cast<int>(j)] = xlog[j];
  last_applied_[i] = last_included_index;
  return "";
}

}  // namespace raft
