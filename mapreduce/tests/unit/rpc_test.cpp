// Unit tests of the MapReduce RPC layer (framework/rpc_server.h, rpc_client.h, wire.h): the
// contract for good requests, and for every kind of bad input the socket may receive.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "labrpc/testing/catch.h"
#include "mapreduce/framework/rpc_client.h"
#include "mapreduce/framework/rpc_server.h"
#include "mapreduce/framework/wire.h"

namespace mr {
namespace {

using namespace std::chrono_literals;
using lab::testing::ContainsSubstring;

struct AddArgs {
  int x = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AddArgs, x)

struct AddReply {
  int y = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AddReply, y)

std::string UniqueSocketPath() {
  static std::atomic<int> counter{0};
  return "/tmp/mr-unit-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".sock";
}

// A server with "Test.Add" (y = x + 1) started on a fresh socket.
struct AddServer {
  explicit AddServer(RpcServerOptions options = {}) : server(options) {
    server.Register<AddArgs, AddReply>("Test.Add",
                                       [](const AddArgs& a, AddReply* r) { r->y = a.x + 1; });
  }
  void Start() { server.Start(path); }
  std::string path = UniqueSocketPath();
  RpcServer server;
};

// A raw client socket, to send exactly the bytes a test wants.
class RawClient {
 public:
  explicit RawClient(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  void Send(const std::string& bytes) const {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }

  // Reads one frame; nullopt if the connection closes (or nothing arrives in 3 s).
  std::optional<wire::Reply> ReadReply() {
    std::string header(wire::kHeaderBytes, '\0');
    if (!ReadExactly(&header)) return std::nullopt;
    wire::Header h;
    std::copy(header.begin(), header.end(), h.begin());
    std::string body(wire::DecodeHeader(h), '\0');
    if (!ReadExactly(&body)) return std::nullopt;
    std::string error;
    auto reply = wire::ParseReply(body, &error);
    INFO(error);
    REQUIRE(reply);
    return reply;
  }

  // True if the server closes the connection within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char byte;
    return ::recv(fd_, &byte, 1, 0) <= 0;
  }

 private:
  bool ReadExactly(std::string* out) {
    std::size_t got = 0;
    while (got < out->size()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 3000) <= 0) return false;
      ssize_t n = ::recv(fd_, out->data() + got, out->size() - got, 0);
      if (n <= 0) return false;
      got += static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
};

std::string Request(const std::string& method, const nlohmann::json& args) {
  return wire::EncodeFrame(wire::RequestPayload(method, args));
}

std::string Header(std::uint32_t length) {
  wire::Header h = wire::EncodeHeader(length);
  return {h.begin(), h.end()};
}

TEST_CASE("wire: headers round-trip and replies parse strictly", "[mapreduce][rpc]") {
  for (std::uint32_t n : {0u, 1u, 255u, 256u, 65536u, 0xFFFFFFFFu}) {
    CAPTURE(n);
    REQUIRE(wire::DecodeHeader(wire::EncodeHeader(n)) == n);
  }
  std::string error;
  REQUIRE_FALSE(wire::ParseReply("{\"ok\": 1}", &error));
  REQUIRE_FALSE(wire::ParseReply("[]", &error));
  REQUIRE_FALSE(wire::ParseRequest("{\"method\": 3, \"args\": 1}", &error));
  REQUIRE_FALSE(wire::ParseRequest("{\"method\": \"A.B\"}", &error));
  auto request = wire::ParseRequest(wire::RequestPayload("A.B", {{"x", 1}}), &error);
  REQUIRE(request);
  REQUIRE(request->method == "A.B");
  REQUIRE(request->args["x"] == 1);
}

TEST_CASE("rpc: a registered handler answers", "[mapreduce][rpc]") {
  AddServer s;
  s.Start();
  CallResult result = CallJson(s.path, "Test.Add", {{"x", 41}});
  INFO(result.error);
  REQUIRE(result.status == CallStatus::kOk);
  REQUIRE(result.reply["y"] == 42);

  // The typed client, through MR_SOCKET.
  ::setenv("MR_SOCKET", s.path.c_str(), 1);
  AddReply reply;
  REQUIRE(Call("Test.Add", AddArgs{7}, &reply));
  REQUIRE(reply.y == 8);
  ::unsetenv("MR_SOCKET");
}

TEST_CASE("rpc: unknown methods and bad arguments get error replies", "[mapreduce][rpc]") {
  AddServer s;
  s.Start();
  CallResult unknown = CallJson(s.path, "Test.Nope", {{"x", 1}});
  REQUIRE(unknown.status == CallStatus::kFailed);
  REQUIRE_THAT(unknown.error, ContainsSubstring("unknown method") && ContainsSubstring("Test.Add"));

  CallResult bad = CallJson(s.path, "Test.Add", "a string, not an object");
  REQUIRE(bad.status == CallStatus::kFailed);
  REQUIRE_THAT(bad.error, ContainsSubstring("do not decode"));
}

TEST_CASE("rpc: a throwing handler gets an error reply and the server goes on",
          "[mapreduce][rpc]") {
  RpcServer server;
  server.Register<AddArgs, AddReply>(
      "Test.Throw", [](const AddArgs&, AddReply*) { throw std::runtime_error("boom"); });
  std::string path = UniqueSocketPath();
  server.Start(path);
  CallResult result = CallJson(path, "Test.Throw", {{"x", 1}});
  REQUIRE(result.status == CallStatus::kFailed);
  REQUIRE_THAT(result.error, ContainsSubstring("boom"));
  REQUIRE(CallJson(path, "Test.Throw", {{"x", 1}}).status == CallStatus::kFailed);
}

TEST_CASE("rpc: malformed frames get error replies and the connection stays usable",
          "[mapreduce][rpc]") {
  AddServer s;
  s.Start();
  RawClient client(s.path);
  REQUIRE(client.connected());
  const std::array<std::string, 5> bad_payloads = {"{not json", "[1,2]", R"({"args": {}})",
                                                   R"("text")", R"({"method": "Test.Add"})"};
  for (const std::string& payload : bad_payloads) {
    CAPTURE(payload);
    client.Send(wire::EncodeFrame(payload));
    auto reply = client.ReadReply();
    REQUIRE(reply);
    REQUIRE_FALSE(reply->ok);
  }
  client.Send(Header(0));  // an empty frame
  auto empty = client.ReadReply();
  REQUIRE(empty);
  REQUIRE_FALSE(empty->ok);
  // Two requests in one write, then one sent a byte at a time.
  client.Send(Request("Test.Add", {{"x", 1}}) + Request("Test.Add", {{"x", 2}}));
  REQUIRE(client.ReadReply()->reply["y"] == 2);
  REQUIRE(client.ReadReply()->reply["y"] == 3);
  for (char byte : Request("Test.Add", {{"x", 9}})) client.Send(std::string(1, byte));
  REQUIRE(client.ReadReply()->reply["y"] == 10);
  REQUIRE(s.server.stats().protocol_errors >= 6);
}

TEST_CASE("rpc: an oversized frame gets an error reply and a close", "[mapreduce][rpc]") {
  AddServer s;
  s.Start();
  RawClient client(s.path);
  client.Send(Header(wire::kMaxFrameBytes + 1));
  auto reply = client.ReadReply();
  REQUIRE(reply);
  REQUIRE_FALSE(reply->ok);
  REQUIRE_THAT(reply->error, ContainsSubstring("over the limit"));
  REQUIRE(client.ClosedWithin(2s));
  REQUIRE(CallJson(s.path, "Test.Add", {{"x", 1}}).status == CallStatus::kOk);
}

TEST_CASE("rpc: truncated and stalled frames do not disturb other clients", "[mapreduce][rpc]") {
  RpcServerOptions options;
  options.frame_timeout = 200ms;
  AddServer s(options);
  s.Start();
  {
    RawClient truncated(s.path);
    truncated.Send(Header(100) + "{\"meth");
  }  // closed half-way
  RawClient stalled(s.path);
  stalled.Send(Header(100) + "{\"meth");
  REQUIRE(CallJson(s.path, "Test.Add", {{"x", 1}}).status == CallStatus::kOk);
  REQUIRE(stalled.ClosedWithin(3s));  // the frame timeout closed it
  REQUIRE(CallJson(s.path, "Test.Add", {{"x", 2}}).status == CallStatus::kOk);
}

TEST_CASE("rpc: an idle connection is closed after the idle timeout", "[mapreduce][rpc]") {
  RpcServerOptions options;
  options.idle_timeout = 200ms;
  AddServer s(options);
  s.Start();
  RawClient idle(s.path);
  REQUIRE(idle.ClosedWithin(3s));
}

TEST_CASE("rpc: connections beyond the limit are closed at once", "[mapreduce][rpc]") {
  RpcServerOptions options;
  options.max_connections = 2;
  AddServer s(options);
  s.Start();
  RawClient a(s.path);
  RawClient b(s.path);
  a.Send(Request("Test.Add", {{"x", 1}}));  // make sure both are accepted first
  REQUIRE(a.ReadReply());
  b.Send(Request("Test.Add", {{"x", 1}}));
  REQUIRE(b.ReadReply());
  RawClient c(s.path);
  REQUIRE(c.ClosedWithin(2s));
  REQUIRE(s.server.stats().connections_refused == 1);
}

TEST_CASE("rpc: a blocking handler does not block other calls", "[mapreduce][rpc]") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  AddServer s;
  s.server.Register<AddArgs, AddReply>("Test.Block", [released](const AddArgs&, AddReply* r) {
    released.wait();
    r->y = -1;
  });
  s.Start();
  auto blocked = std::async(std::launch::async, [&] {
    return CallJson(s.path, "Test.Block", {{"x", 0}});
  });
  REQUIRE(blocked.wait_for(200ms) == std::future_status::timeout);
  REQUIRE(CallJson(s.path, "Test.Add", {{"x", 1}}).status == CallStatus::kOk);
  release.set_value();
  CallResult result = blocked.get();
  REQUIRE(result.status == CallStatus::kOk);
  REQUIRE(result.reply["y"] == -1);
}

TEST_CASE("rpc: no listener means unreachable and Stop removes the socket", "[mapreduce][rpc]") {
  std::string path = UniqueSocketPath();
  REQUIRE(CallJson(path, "Test.Add", {{"x", 1}}).status == CallStatus::kUnreachable);
  {
    AddServer s;
    s.path = path;
    s.Start();
    REQUIRE(CallJson(path, "Test.Add", {{"x", 1}}).status == CallStatus::kOk);
    s.server.Stop();
    REQUIRE(::access(path.c_str(), F_OK) != 0);
    REQUIRE(CallJson(path, "Test.Add", {{"x", 1}}).status == CallStatus::kUnreachable);
  }
}

TEST_CASE("rpc: Register after Start and twice are refused", "[mapreduce][rpc]") {
  AddServer s;
  auto register_noop = [&](const std::string& method) {
    s.server.Register<AddArgs, AddReply>(method, [](const AddArgs&, AddReply*) {});
  };
  REQUIRE_THROWS_AS(register_noop("Test.Add"), std::logic_error);
  s.Start();
  REQUIRE_THROWS_AS(register_noop("Test.Other"), std::logic_error);
}

}  // namespace
}  // namespace mr
