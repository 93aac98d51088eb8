// The fake network that connects lab servers: 6.824's labrpc, in C++.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Synopsis (one line per operation):
//   auto net = std::make_shared<lab::Network>();     // reliable network, no long delays
//   auto end = net->MakeEnd("end-0-1");               // a client end: disabled, unconnected
//   net->Connect("end-0-1", "server-1");              // an end is connected once, for life
//   net->Enable("end-0-1", true);                     // enabled ends deliver
//   auto svc = std::make_shared<lab::Service>("Raft");
//   svc->Register("RequestVote", raft, &Raft::RequestVote);   // void(const A&, R*)
//   auto srv = std::make_shared<lab::Server>(group);  // handlers run as tasks of `group`
//   srv->AddService(svc);
//   net->AddServer("server-1", srv);                  // replaces any server of that name
//   bool ok = end->Call("Raft.RequestVote", args, &reply);
//   net->DeleteServer("server-1");                    // in-flight calls to it return false
//   net->Reliable(false); net->LongDelays(true); net->LongReordering(true);
//   net->GetCount("server-1"); net->GetTotalCount(); net->GetTotalBytes();
//
// Call's guarantees (as 6.824's labrpc):
//   - Returns true only if the handler ran to completion and its reply reached the caller;
//     then *reply holds the decoded reply. On false, *reply is untouched.
//   - Returns false when the request or the reply is lost (unreliable network), the end is
//     disabled or unconnected, the server was deleted or replaced, or the end was disabled
//     while the handler ran. The caller cannot tell which.
//   - Always returns, unless the handler never returns. There is no fixed timeout: a false
//     comes 0-26 ms after a dropped request, within ~100 ms after the server dies, or 0-99 ms
//     (0-6999 ms with LongDelays) for an unreachable server.
//   - Concurrent calls on one end are allowed and may be delivered in any order.
//   - Arguments and replies always cross the network encoded (lab::Encode): the handler
//     never shares memory with the caller. Byte counters count encoded bytes.
//   - Call is a blocking point: a cancelled caller throws lab::Cancelled.
// Delivery in detail (probabilities, delays): ../shared/spec section 1.3, mirrored in
// network.cpp with a comment at each rule.
//
// Errors: an unknown service or method, arguments the handler cannot decode, or a reply the
// caller cannot decode are bugs in the caller; they end the run with a message listing what
// exists (lab::Fatal). A handler that throws ends the run with the handler's name and the
// exception (the RPC returns false to the caller).
//
// Names are strings. Thread safety: every method may be called from any task of the run.
#ifndef LABRPC_NETWORK_H_
#define LABRPC_NETWORK_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "labrpc/codec.h"
#include "labrpc/runtime/runtime.h"

namespace lab {

namespace detail {
struct NetState;
}  // namespace detail

// The handlers of one service ("Raft", "KVServer"), registered explicitly by name.
class Service {
 public:
  explicit Service(std::string name) : name_(std::move(name)) {}
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Registers `handler` for "<service>.<method>". Args and Reply must be codec types.
  template <class Args, class Reply>
  void Register(const std::string& method, std::function<void(const Args&, Reply*)> handler) {
    static_assert(Decodable<Args> && Encodable<Reply>,
                  "Service::Register: Args and Reply need NLOHMANN_DEFINE_TYPE_* (see codec.h)");
    std::string full = name_ + "." + method;
    AddMethod(method, [handler = std::move(handler), full](const Bytes& in) {
      Args args = DecodeOrDie<Args>(in, full, "arguments");
      Reply reply{};
      handler(args, &reply);
      return Encode(reply);
    });
  }
  // Registers a member function: svc.Register("RequestVote", raft, &Raft::RequestVote).
  // REQUIRES: *obj outlives every handler task (true when obj's server group is cancelled
  // and waited for before obj is destroyed, as the testers do).
  template <class Obj, class Args, class Reply>
  void Register(const std::string& method, Obj* obj, void (Obj::*fn)(const Args&, Reply*)) {
    Register<Args, Reply>(method,
                          [obj, fn](const Args& args, Reply* reply) { (obj->*fn)(args, reply); });
  }

  const std::string& name() const { return name_; }
  std::vector<std::string> MethodNames() const;
  // Runs the named handler on encoded arguments and returns the encoded reply. Ends the run
  // with lab::Fatal if the method is unknown.
  Bytes Dispatch(const std::string& method, const Bytes& args) const;

 private:
  using Handler = std::function<Bytes(const Bytes&)>;
  void AddMethod(const std::string& method, Handler handler);
  template <class T>
  static T DecodeOrDie(const Bytes& in, const std::string& full, const char* what) {
    try {
      return Decode<T>(in);
    } catch (const CodecError& e) {
      FatalDecode(full, what, e.what());
    }
  }
  [[noreturn]] static void FatalDecode(const std::string& rpc, const char* what, const char* error);

  std::string name_;
  std::map<std::string, Handler> methods_;  // fixed once the server is added to a network
};

// A set of services reachable under one server name. Handlers run as tasks of the server's
// group, so cancelling the group (crashing the server) stops them too.
class Server {
 public:
  // Handler tasks run in `group`; by default, the group of the task creating the Server.
  explicit Server(std::shared_ptr<Group> group = nullptr);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void AddService(std::shared_ptr<Service> service);
  // Number of RPCs whose handler started on this server.
  int GetCount() const;

  // Internal: runs "Service.Method" on encoded arguments. Counts the RPC first.
  Bytes Dispatch(std::string_view svc_meth, const Bytes& args);
  const std::shared_ptr<Group>& group() const { return group_; }

 private:
  std::shared_ptr<Group> group_;
  std::map<std::string, std::shared_ptr<Service>> services_;  // fixed once added to a network
  std::atomic<int> count_{0};
};

class ClientEnd {
 public:
  ClientEnd(std::string name, std::shared_ptr<detail::NetState> net)
      : name_(std::move(name)), net_(std::move(net)) {}
  ClientEnd(const ClientEnd&) = delete;
  ClientEnd& operator=(const ClientEnd&) = delete;

  // Sends an RPC and waits for the reply. See the file comment for the guarantees.
  template <class Args, class Reply>
  bool Call(std::string_view svc_meth, const Args& args, Reply* reply) {
    static_assert(Encodable<Args> && Decodable<Reply>,
                  "ClientEnd::Call: Args and Reply need NLOHMANN_DEFINE_TYPE_* (see codec.h)");
    Bytes reply_bytes;
    if (!CallBytes(svc_meth, Encode(args), &reply_bytes)) return false;
    try {
      *reply = Decode<Reply>(reply_bytes);
    } catch (const CodecError& e) {
      FatalReplyDecode(svc_meth, e.what());
    }
    return true;
  }
  // The same on encoded bytes. On true, *reply holds the encoded reply.
  bool CallBytes(std::string_view svc_meth, Bytes args, Bytes* reply);
  const std::string& name() const { return name_; }

 private:
  [[noreturn]] void FatalReplyDecode(std::string_view svc_meth, const char* error) const;
  std::string name_;
  std::shared_ptr<detail::NetState> net_;
};

class Network {
 public:
  Network();
  ~Network();  // Cleanup()
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Shuts the network down: calls not yet sent return false.
  void Cleanup();
  void Reliable(bool yes);
  // Delay a false reply for an unreachable server up to 7 s instead of 100 ms (the Raft
  // tester sets it, so a leader that sends RPCs synchronously falls behind).
  void LongDelays(bool yes);
  // Delay two thirds of replies by 200-2199 ms, so replies arrive out of order.
  void LongReordering(bool yes);
  // Every delivered request and every delivered reply takes a uniform [lo, hi] of the run's
  // time, on top of the delays above. Off (0, 0) by default, as in 6.824's labrpc, where real
  // time passes anyway; the key/value testers turn it on (1-5 ms) so that in the simulator an
  // operation costs virtual time, as it does on a real network, and a client loop that runs
  // "for 5 seconds" ends. No random draw is made while it is off, so runs of the labs that do
  // not use it replay exactly as before. REQUIRES: 0 <= lo <= hi.
  void Latency(Duration lo, Duration hi);
  bool IsReliable() const;
  bool IsLongDelays() const;
  bool IsLongReordering() const;

  // REQUIRES: no end of that name exists yet. The end starts disabled and unconnected.
  std::shared_ptr<ClientEnd> MakeEnd(const std::string& end_name);
  void DeleteEnd(const std::string& end_name);
  void AddServer(const std::string& server_name, std::shared_ptr<Server> server);
  void DeleteServer(const std::string& server_name);
  void Connect(const std::string& end_name, const std::string& server_name);
  void Enable(const std::string& end_name, bool enabled);

  // RPCs whose handler started on the named server (0 if there is none).
  int GetCount(const std::string& server_name) const;
  // Calls that reached the network, delivered or not.
  std::int64_t GetTotalCount() const;
  // Encoded bytes: every request's arguments plus every reply actually delivered.
  std::int64_t GetTotalBytes() const;

 private:
  std::shared_ptr<detail::NetState> state_;
};

}  // namespace lab

#endif  // LABRPC_NETWORK_H_
