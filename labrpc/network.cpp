// The fake network. Delivery follows 6.824's labrpc exactly (spec section 1.3); each rule is
// marked where it is implemented. Every random draw comes from the run's seeded generator, in
// a fixed order, so a seed replays the same losses, delays and reorderings.
#include "labrpc/network.h"

#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "labrpc/check.h"
#include "labrpc/debug.h"
#include "labrpc/record.h"
#include "labrpc/runtime/chan.h"
#include "labrpc/runtime/park.h"
#include "labrpc/runtime/run.h"
#include "labrpc/runtime/strategy.h"

namespace lab {
namespace detail {

// Shared by the Network and its ClientEnds, so an end outliving its network is harmless.
struct NetState {
  // Held only for map lookups and updates, never across a blocking point.
  mutable std::mutex mu;
  bool done = false;
  bool reliable = true;
  bool long_delays = false;
  bool long_reordering = false;
  Duration latency_lo{0};
  Duration latency_hi{0};
  std::map<std::string, bool> ends;                        // end name -> enabled
  std::map<std::string, std::shared_ptr<Server>> servers;  // null once deleted
  std::map<std::string, std::string> connections;          // end name -> server name
  std::atomic<std::int64_t> count{0};
  std::atomic<std::int64_t> bytes{0};

  // A server is "dead" for a call once its end is disabled or the server was deleted or
  // replaced: replies from it must not reach the caller (spec 1.3, step 3).
  bool IsServerDead(const std::string& end_name, const std::string& server_name,
                    const Server* server) const {
    std::lock_guard lock(mu);
    auto e = ends.find(end_name);
    if (e == ends.end() || !e->second) return true;
    auto s = servers.find(server_name);
    return s == servers.end() || s->second.get() != server;
  }
};

// An RPC's encoded arguments or reply as JSON text for the debug log, cut at 400 characters
// (the 2B tests send 5000-character commands).
std::string ForLog(const Bytes& bytes, std::size_t max_chars = 400) {
  std::string text;
  try {
    text = nlohmann::json::from_msgpack(bytes).dump();
  } catch (const nlohmann::json::exception&) {
    return fmt::format("<{} bytes, not an encoded value>", bytes.size());
  }
  if (text.size() > max_chars)
    text = fmt::format("{}... ({} characters)", text.substr(0, max_chars), text.size());
  return text;
}

// The record's side of one call (labrpc/record.h): its number and where it goes. Every
// method is a no-op when no timeline is recorded (id < 0).
class CallRecord {
 public:
  CallRecord(std::string_view svc_meth, const std::shared_ptr<Server>& server, const Bytes& args) {
    if (!record::Recording()) return;
    id_ = record::NextRpcId();
    record::Event e;
    e.t_us = record::NowUs();
    e.kind = "rpc-send";
    e.lane = CurrentGroupName();
    e.peer = server != nullptr ? server->group()->name() : std::string();
    e.name = svc_meth;
    e.id = id_;
    e.bytes = static_cast<std::int64_t>(args.size());
    e.text = ForLog(args, 160);  // enough to see a term or an index; 100,000 calls stay small
    record::Add(std::move(e));
  }
  std::int64_t id() const { return id_; }
  void Fail(std::string_view why) const { Mark(id_, "rpc-fail", why, -1); }
  void Reply(const Bytes& reply) const {
    Mark(id_, "rpc-reply", id_ >= 0 ? ForLog(reply, 160) : std::string(),
         static_cast<std::int64_t>(reply.size()));
  }
  // The handler started, in the server's group (called from the handler task).
  static void Delivered(std::int64_t id) { Mark(id, "rpc-deliver", {}, -1); }

 private:
  static void Mark(std::int64_t id, const char* kind, std::string_view text, std::int64_t bytes) {
    if (id < 0 || !record::Recording()) return;
    record::Event e;  // no lane: the call's rpc-send names both sides
    e.t_us = record::NowUs();
    e.kind = kind;
    e.id = id;
    e.bytes = bytes;
    e.text = text;
    record::Add(std::move(e));
  }
  std::int64_t id_ = -1;
};

// The outcome of one handler run, sent from the handler task to the waiting caller.
struct CallResult {
  bool ok = false;  // true only if the handler returned normally
  Bytes reply;
};
using ResultChan = Chan<CallResult>;

// Completes the call when the handler task's closure is destroyed: normally after the handler
// ran, but also when the task was cancelled before it first ran (its server crashed), so the
// caller never waits for ever. try_send never blocks and is not a cancellation point, so this
// is safe in a destructor of a cancelled task.
class CallCompletion {
 public:
  explicit CallCompletion(std::shared_ptr<ResultChan> result) : result_(std::move(result)) {}
  CallCompletion(const CallCompletion&) = delete;
  CallCompletion& operator=(const CallCompletion&) = delete;
  ~CallCompletion() {
    if (!sent_) result_->try_send(CallResult{});
  }
  void Succeed(Bytes reply) { sent_ = result_->try_send(CallResult{true, std::move(reply)}); }

 private:
  std::shared_ptr<ResultChan> result_;  // capacity 1: the one result never blocks
  bool sent_ = false;
};

}  // namespace detail

using detail::NetState;

// ---- Service and Server ----

std::vector<std::string> Service::MethodNames() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : methods_) names.push_back(name);
  return names;
}

void Service::AddMethod(const std::string& method, Handler handler) {
  methods_[method] = std::move(handler);
}

Bytes Service::Dispatch(const std::string& method, const Bytes& args) const {
  auto it = methods_.find(method);
  if (it == methods_.end()) {
    Fatal(fmt::format("labrpc: unknown method '{}' in service '{}'; expecting one of {}", method,
                      name_, MethodNames()));
  }
  return it->second(args);
}

void Service::FatalDecode(const std::string& rpc, const char* what, const char* error) {
  Fatal(
      fmt::format("labrpc: {}: cannot decode the {}: {} (does the caller pass the argument "
                  "type the handler declares?)",
                  rpc, what, error));
}

Server::Server(std::shared_ptr<Group> group)
    : group_(group != nullptr ? std::move(group) : CurrentGroup()) {}

void Server::AddService(std::shared_ptr<Service> service) {
  services_[service->name()] = std::move(service);
}

int Server::GetCount() const { return count_.load(); }

Bytes Server::Dispatch(std::string_view svc_meth, const Bytes& args) {
  ++count_;
  const auto dot = svc_meth.rfind('.');
  const std::string service_name(svc_meth.substr(0, dot == std::string_view::npos ? 0 : dot));
  auto it = services_.find(service_name);
  if (dot == std::string_view::npos || it == services_.end()) {
    std::vector<std::string> known;
    for (const auto& [name, svc] : services_) known.push_back(name);
    Fatal(
        fmt::format("labrpc: unknown service '{}' in '{}'; expecting one of {} (the name is "
                    "\"Service.Method\")",
                    service_name, svc_meth, known));
  }
  return it->second->Dispatch(std::string(svc_meth.substr(dot + 1)), args);
}

// ---- ClientEnd ----

bool ClientEnd::CallBytes(std::string_view svc_meth, Bytes args, Bytes* reply) {
  detail::CancellationPoint();
  NetState& net = *net_;
  bool enabled = false;
  std::string server_name;
  std::shared_ptr<Server> server;
  bool reliable = true;
  bool long_delays = false;
  bool long_reordering = false;
  Duration latency_lo{0};
  Duration latency_hi{0};
  {
    std::lock_guard lock(net.mu);
    if (net.done) return false;  // Cleanup(): calls not yet sent fail
    // Every call that reaches the network counts, delivered or not, with its request bytes.
    net.count.fetch_add(1);
    net.bytes.fetch_add(static_cast<std::int64_t>(args.size()));
    enabled = net.ends[name_];
    auto c = net.connections.find(name_);
    if (c != net.connections.end()) {
      server_name = c->second;
      auto s = net.servers.find(server_name);
      if (s != net.servers.end()) server = s->second;
    }
    reliable = net.reliable;
    long_delays = net.long_delays;
    long_reordering = net.long_reordering;
    latency_lo = net.latency_lo;
    latency_hi = net.latency_hi;
  }
  // Flight time, from the latency (when on) and the run's strategy (jitter, see
  // runtime/strategy.h): the request's and, below, the reply's. True when it took any time.
  auto fly = [&] {
    Duration flight = detail::MessageJitter();
    if (latency_hi > Duration::zero()) flight += rand_duration(latency_lo, latency_hi);
    if (flight > Duration::zero()) sleep_for(flight);
    return flight > Duration::zero();
  };
  TraceEvent("rpc", svc_meth);
  // Task dumps show what a caller waits for, and the debug log what each RPC carried.
  const detail::ScopedNote note(fmt::format("Call {} to server '{}'", svc_meth, server_name));
  const detail::CallRecord recorded(svc_meth, server, args);
  LAB_DEBUG_PRINT_ONLY("rpc", "{} to server '{}' args {}", svc_meth, server_name,
                       detail::ForLog(args));

  if (!enabled || server == nullptr) {
    // Case B: unreachable. Fail after a delay, long (0-6999 ms) when LongDelays is on, so
    // that a leader sending RPCs one after another falls behind; else 0-99 ms.
    sleep_for(std::chrono::milliseconds(long_delays ? rand_int(7000) : rand_int(100)));
    LAB_DEBUG_PRINT_ONLY("net", "{} to server '{}' failed: unreachable (end {})", svc_meth,
                         server_name, enabled ? "connected to no live server" : "disabled");
    recorded.Fail(enabled ? "unreachable: no live server" : "unreachable: disconnected");
    return false;
  }

  // Case A, step 1: a short random delay on an unreliable network.
  if (!reliable) sleep_for(std::chrono::milliseconds(rand_int(27)));
  // Step 2: drop the request (10%); the handler never runs.
  if (!reliable && rand_int(1000) < 100) {
    TraceEvent("rpc-drop-request", svc_meth);
    LAB_DEBUG_PRINT_ONLY("net", "{} to server '{}' failed: request lost", svc_meth, server_name);
    recorded.Fail("request lost");
    return false;
  }

  fly();
  // Step 3: run the handler in a task of the server's group, and wait for it, re-checking
  // every 100 ms whether the server died meanwhile.
  auto result = std::make_shared<detail::ResultChan>(1);
  server->group()->Go(std::string(svc_meth),
                      [completion = std::make_shared<detail::CallCompletion>(result), server,
                       method = std::string(svc_meth), args = std::move(args), id = recorded.id()] {
                        detail::CallRecord::Delivered(id);
                        completion->Succeed(server->Dispatch(method, args));
                      });
  bool handler_ok = false;
  bool server_dead = false;
  Bytes got;
  for (;;) {
    if (std::optional<detail::CallResult> r = result->recv_for(std::chrono::milliseconds(100))) {
      handler_ok = r->ok;
      got = std::move(r->reply);
      break;
    }
    server_dead = net.IsServerDead(name_, server_name, server.get());
    if (server_dead) break;
  }
  // Step 4: re-check after the handler returned: a reply from a server that was killed,
  // replaced or disconnected meanwhile must not reach the caller. (Otherwise a client could
  // see success for an Append saved into a Persister that the tester has already replaced.)
  if (!server_dead) server_dead = net.IsServerDead(name_, server_name, server.get());
  if (!handler_ok || server_dead) {
    TraceEvent("rpc-dead", svc_meth);
    LAB_DEBUG_PRINT_ONLY("net", "{} to server '{}' failed: {}", svc_meth, server_name,
                         handler_ok ? "the server died or was disconnected meanwhile"
                                    : "the handler did not complete (server crashed)");
    recorded.Fail(handler_ok ? "server died or was cut off" : "server crashed");
    return false;
  }
  // Step 5: drop the reply (10% when unreliable): the handler's effects stand.
  if (!reliable && rand_int(1000) < 100) {
    TraceEvent("rpc-drop-reply", svc_meth);
    LAB_DEBUG_PRINT_ONLY("net", "{} to server '{}' failed: reply lost (the handler ran)", svc_meth,
                         server_name);
    recorded.Fail("reply lost");
    return false;
  }
  // Long reordering: two thirds of replies arrive after 200-2199 ms, skewed toward short.
  if (long_reordering && rand_int(900) < 600) {
    sleep_for(std::chrono::milliseconds(200 + rand_int(1 + rand_int(2000))));
  }
  if (fly()) {
    // The server may have died while the reply was in flight.
    if (net.IsServerDead(name_, server_name, server.get())) {
      TraceEvent("rpc-dead", svc_meth);
      LAB_DEBUG_PRINT_ONLY("net",
                           "{} to server '{}' failed: the server died or was disconnected while "
                           "the reply was in flight",
                           svc_meth, server_name);
      recorded.Fail("server died or was cut off");
      return false;
    }
  }
  // Reply bytes count when the reply is delivered.
  net.bytes.fetch_add(static_cast<std::int64_t>(got.size()));
  LAB_DEBUG_PRINT_ONLY("rpc", "{} to server '{}' reply {}", svc_meth, server_name,
                       detail::ForLog(got));
  recorded.Reply(got);
  *reply = std::move(got);
  return true;
}

void ClientEnd::FatalReplyDecode(std::string_view svc_meth, const char* error) const {
  Fatal(
      fmt::format("labrpc: {} via end '{}': cannot decode the reply: {} (does the caller pass "
                  "the reply type the handler declares?)",
                  svc_meth, name_, error));
}

// ---- Network ----

Network::Network() : state_(std::make_shared<NetState>()) {}

Network::~Network() { Cleanup(); }

void Network::Cleanup() {
  std::lock_guard lock(state_->mu);
  state_->done = true;
}

void Network::Reliable(bool yes) {
  record::Note("net", CurrentGroupName(), {}, yes ? "reliable" : "unreliable");
  std::lock_guard lock(state_->mu);
  state_->reliable = yes;
}

void Network::LongDelays(bool yes) {
  record::Note("net", CurrentGroupName(), {}, yes ? "long delays on" : "long delays off");
  std::lock_guard lock(state_->mu);
  state_->long_delays = yes;
}

void Network::Latency(Duration lo, Duration hi) {
  LAB_CHECK(Duration::zero() <= lo && lo <= hi, "Network::Latency: need 0 <= lo <= hi");
  std::lock_guard lock(state_->mu);
  state_->latency_lo = lo;
  state_->latency_hi = hi;
}

void Network::LongReordering(bool yes) {
  record::Note("net", CurrentGroupName(), {}, yes ? "long reordering on" : "long reordering off");
  std::lock_guard lock(state_->mu);
  state_->long_reordering = yes;
}

bool Network::IsReliable() const {
  std::lock_guard lock(state_->mu);
  return state_->reliable;
}

bool Network::IsLongDelays() const {
  std::lock_guard lock(state_->mu);
  return state_->long_delays;
}

bool Network::IsLongReordering() const {
  std::lock_guard lock(state_->mu);
  return state_->long_reordering;
}

std::shared_ptr<ClientEnd> Network::MakeEnd(const std::string& end_name) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->ends.count(end_name) == 0) {
      state_->ends[end_name] = false;  // ends start disabled and unconnected
      return std::make_shared<ClientEnd>(end_name, state_);
    }
  }
  Fatal(fmt::format("labrpc: MakeEnd: end '{}' already exists", end_name));
}

void Network::DeleteEnd(const std::string& end_name) {
  std::lock_guard lock(state_->mu);
  state_->ends.erase(end_name);
  state_->connections.erase(end_name);
}

void Network::AddServer(const std::string& server_name, std::shared_ptr<Server> server) {
  std::lock_guard lock(state_->mu);
  state_->servers[server_name] = std::move(server);
}

void Network::DeleteServer(const std::string& server_name) {
  std::lock_guard lock(state_->mu);
  state_->servers[server_name] = nullptr;
}

void Network::Connect(const std::string& end_name, const std::string& server_name) {
  std::lock_guard lock(state_->mu);
  state_->connections[end_name] = server_name;
}

void Network::Enable(const std::string& end_name, bool enabled) {
  std::lock_guard lock(state_->mu);
  state_->ends[end_name] = enabled;
}

int Network::GetCount(const std::string& server_name) const {
  std::shared_ptr<Server> server;
  {
    std::lock_guard lock(state_->mu);
    auto it = state_->servers.find(server_name);
    if (it != state_->servers.end()) server = it->second;
  }
  return server != nullptr ? server->GetCount() : 0;
}

std::int64_t Network::GetTotalCount() const { return state_->count.load(); }

std::int64_t Network::GetTotalBytes() const { return state_->bytes.load(); }

}  // namespace lab
