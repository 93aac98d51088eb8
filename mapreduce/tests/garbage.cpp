#include "mapreduce/tests/garbage.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mapreduce/framework/wire.h"

namespace mr::testing {

namespace {

constexpr int kReplyTimeoutMs = 5000;  // the coordinator answers bad requests at once
constexpr std::size_t kMaxStalled = 16;
constexpr std::chrono::milliseconds kPause{5};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// A connected socket that closes itself.
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(Connection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Connection& operator=(Connection&&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Connects; nullopt with errno set on failure.
std::optional<Connection> Connect(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return std::nullopt;
  }
  return Connection(fd);
}

bool SendAll(const Connection& c, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(c.fd(), data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

enum class ReadStatus { kOk, kClosed, kTimeout };

// Reads exactly out->size() bytes, or reports a close (or error) or a timeout.
ReadStatus ReadExactly(const Connection& c, std::string* out) {
  std::size_t got = 0;
  while (got < out->size()) {
    pollfd p{c.fd(), POLLIN, 0};
    int ready = ::poll(&p, 1, kReplyTimeoutMs);
    if (ready == 0) return ReadStatus::kTimeout;
    if (ready < 0 && errno == EINTR) continue;
    ssize_t n = ::recv(c.fd(), out->data() + got, out->size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ReadStatus::kClosed;
    got += static_cast<std::size_t>(n);
  }
  return ReadStatus::kOk;
}

std::string Frame(std::string_view payload) { return wire::EncodeFrame(payload); }

std::string HeaderOnly(std::uint32_t length) {
  wire::Header h = wire::EncodeHeader(length);
  return {h.begin(), h.end()};
}

std::string UnknownMethodRequest() {
  return wire::RequestPayload("Coordinator.NoSuchMethodFromGarbageTest", {{"x", 1}});
}

// What one scenario found.
struct Outcome {
  enum Kind { kFine, kViolation, kGone } kind = kFine;
  std::string detail;
  int error_replies = 0;
};

class Scenarios {
 public:
  Scenarios(std::string socket_path, std::uint64_t seed)
      : path_(std::move(socket_path)), rng_(seed) {}

  // Each returns what happened; they run in this order every round.
  std::vector<std::pair<std::string, std::function<Outcome()>>> All() {
    return {
        {"random bytes", [this] { return RandomBytes(); }},
        {"oversized frame", [this] { return Oversized(); }},
        {"truncated frame", [this] { return Truncated(); }},
        {"stalled frame", [this] { return Stalled(); }},
        {"empty frame", [this] { return ExpectError(HeaderOnly(0)); }},
        {"invalid JSON", [this] { return InvalidJsonThenValid(); }},
        {"JSON not an object", [this] { return ExpectError(Frame("[1,2,3]")); }},
        {"no method", [this] { return ExpectError(Frame(R"({"args": {}})")); }},
        {"unknown method", [this] { return UnknownMethod(); }},
        {"undecodable arguments", [this] { return BadArguments(); }},
        {"one byte at a time", [this] { return ByteByByte(); }},
        {"two requests in one write", [this] { return Pipelined(); }},
        {"invalid UTF-8", [this] { return InvalidUtf8(); }},
    };
  }

  void CloseStalled() { stalled_.clear(); }

 private:
  // When a connection fails, decides between "the coordinator has exited" and a violation.
  Outcome Broken(const std::string& what) {
    std::optional<Connection> probe = Connect(path_);
    if (!probe && (errno == ENOENT || errno == ECONNREFUSED)) return {Outcome::kGone, {}, 0};
    return {Outcome::kViolation, what, 0};
  }

  std::optional<Connection> Open(Outcome* gone) {
    std::optional<Connection> c = Connect(path_);
    if (!c) *gone = Broken(std::string("cannot connect: ") + std::strerror(errno));
    return c;
  }

  // Reads one reply frame and checks that it is an error reply.
  Outcome ReadErrorReply(const Connection& c, const std::string& after) {
    std::string header(wire::kHeaderBytes, '\0');
    ReadStatus status = ReadExactly(c, &header);
    if (status == ReadStatus::kTimeout) {
      return {Outcome::kViolation, "no reply within 5 s after " + after, 0};
    }
    if (status == ReadStatus::kClosed) {
      return Broken("connection closed without a reply after " + after);
    }
    wire::Header h;
    std::copy(header.begin(), header.end(), h.begin());
    std::uint32_t length = wire::DecodeHeader(h);
    if (length == 0 || length > wire::kMaxFrameBytes) {
      return {Outcome::kViolation, "reply frame of " + std::to_string(length) + " bytes", 0};
    }
    std::string body(length, '\0');
    if (ReadExactly(c, &body) != ReadStatus::kOk) return Broken("reply cut short after " + after);
    std::string error;
    std::optional<wire::Reply> reply = wire::ParseReply(body, &error);
    if (!reply) return {Outcome::kViolation, "malformed reply (" + error + ") after " + after, 0};
    if (reply->ok) return {Outcome::kViolation, "a success reply after " + after, 0};
    last_error_ = reply->error;
    return {Outcome::kFine, {}, 1};
  }

  Outcome ExpectError(const std::string& bytes) {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    if (!SendAll(*c, bytes)) return Broken("send failed");
    return ReadErrorReply(*c, "a bad request");
  }

  // A well-formed request except for one string that is not UTF-8 (JSON text must be).
  Outcome InvalidUtf8() {
    return ExpectError(Frame("{\"method\": \"Coordinator.Example\xff\xfe\", \"args\": {}}"));
  }

  Outcome RandomBytes() {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    std::string bytes(1 + rng_.Next() % 2048, '\0');
    for (char& b : bytes) b = static_cast<char>(rng_.Next());
    SendAll(*c, bytes);  // the server may close early; anything goes but a crash
    return {};
  }

  Outcome Oversized() {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    std::uint32_t length = (rng_.Next() % 2 == 0) ? 0xFFFFFFFFu : wire::kMaxFrameBytes + 1;
    SendAll(*c, HeaderOnly(length) + "{\"method\":");
    std::string header(wire::kHeaderBytes, '\0');
    ReadStatus status = ReadExactly(*c, &header);
    if (status == ReadStatus::kTimeout) {
      return {Outcome::kViolation, "oversized frame: neither a reply nor a close within 5 s", 0};
    }
    return {};  // an error reply or a close: both keep the contract
  }

  Outcome Truncated() {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    SendAll(*c, HeaderOnly(1000) + "{\"method\": ");
    return {};  // closed half-way by the destructor
  }

  Outcome Stalled() {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    SendAll(*c, HeaderOnly(100) + "{\"meth");
    stalled_.push_back(std::move(*c));
    if (stalled_.size() > kMaxStalled) stalled_.pop_front();
    return {};
  }

  // After a malformed frame, the same connection must still serve a well-formed request.
  Outcome InvalidJsonThenValid() {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    if (!SendAll(*c, Frame("{this is not json"))) return Broken("send failed");
    Outcome first = ReadErrorReply(*c, "invalid JSON");
    if (first.kind != Outcome::kFine) return first;
    if (!SendAll(*c, Frame(UnknownMethodRequest()))) return Broken("send failed");
    Outcome second = ReadErrorReply(*c, "a request following invalid JSON on one connection");
    second.error_replies += first.error_replies;
    return second;
  }

  Outcome UnknownMethod() {
    Outcome outcome = ExpectError(Frame(UnknownMethodRequest()));
    if (outcome.kind != Outcome::kFine) return outcome;
    // "unknown method "..."; registered methods: A B C" tells us what really exists.
    auto pos = last_error_.find("registered methods:");
    if (pos == std::string::npos) {
      return {Outcome::kViolation, "unknown-method reply does not list the methods: " + last_error_,
              0};
    }
    registered_.clear();
    std::string rest = last_error_.substr(pos + std::strlen("registered methods:"));
    std::size_t start = 0;
    while ((start = rest.find_first_not_of(' ', start)) != std::string::npos) {
      std::size_t end = rest.find(' ', start);
      std::string name = rest.substr(start, end == std::string::npos ? end : end - start);
      if (name != "(none)") registered_.push_back(name);
      start = end;
    }
    return outcome;
  }

  // Arguments no handler can decode: a deeply nested array of strings.
  Outcome BadArguments() {
    if (registered_.empty()) return {};
    const std::string& method = registered_[rng_.Next() % registered_.size()];
    nlohmann::json args = nlohmann::json::array({nlohmann::json::array({"garbage", 1, nullptr})});
    return ExpectError(Frame(wire::RequestPayload(method, args)));
  }

  Outcome ByteByByte() {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    std::string bytes = Frame(UnknownMethodRequest());
    for (char b : bytes) {
      if (!SendAll(*c, std::string_view(&b, 1))) return Broken("send failed");
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return ReadErrorReply(*c, "a request sent one byte at a time");
  }

  Outcome Pipelined() {
    Outcome gone;
    std::optional<Connection> c = Open(&gone);
    if (!c) return gone;
    std::string request = Frame(UnknownMethodRequest());
    if (!SendAll(*c, request + request)) return Broken("send failed");
    Outcome first = ReadErrorReply(*c, "the first of two requests in one write");
    if (first.kind != Outcome::kFine) return first;
    Outcome second = ReadErrorReply(*c, "the second of two requests in one write");
    second.error_replies += first.error_replies;
    return second;
  }

  const std::string path_;
  Rng rng_;
  std::deque<Connection> stalled_;
  std::string last_error_;
  std::vector<std::string> registered_;
};

}  // namespace

GarbageSender::GarbageSender(std::string socket_path, std::uint64_t seed)
    : socket_path_(std::move(socket_path)), seed_(seed) {}

GarbageSender::~GarbageSender() { Stop(); }

void GarbageSender::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void GarbageSender::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

GarbageSender::Report GarbageSender::report() const { return report_; }

void GarbageSender::Loop() {
  Scenarios scenarios(socket_path_, seed_);
  auto all = scenarios.All();
  while (!stop_) {
    for (auto& [name, run] : all) {
      if (stop_) break;
      Outcome outcome = run();
      if (outcome.kind == Outcome::kGone) {
        scenarios.CloseStalled();
        return;  // the coordinator has exited: the job is over
      }
      report_.error_replies += outcome.error_replies;
      if (outcome.kind == Outcome::kViolation) {
        report_.violations.push_back(name + ": " + outcome.detail);
      } else {
        ++report_.runs[name];
      }
      std::this_thread::sleep_for(kPause);
    }
    if (!stop_) ++report_.rounds;
  }
  scenarios.CloseStalled();
}

}  // namespace mr::testing
