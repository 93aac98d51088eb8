// RpcServer on Boost.Asio: one I/O thread runs every socket operation and timer, so the state
// of a connection is touched by that thread only; handlers run on threads of their own and
// hand their reply back to the I/O thread with asio::post.
#include "mapreduce/framework/rpc_server.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <boost/asio.hpp>

namespace mr {

namespace asio = boost::asio;
using Socket = asio::local::stream_protocol::socket;

class Connection;

struct detail::RpcServerImpl {
  using JsonHandler = RpcServer::JsonHandler;
  explicit RpcServerImpl(RpcServerOptions opts) : options(opts) {}

  void Accept();
  void LogProtocolError(std::string_view what);
  // Runs `handler` for a request on a new thread, then posts the reply to `connection`.
  void Dispatch(std::shared_ptr<Connection> connection, const JsonHandler* handler,
                std::string method, nlohmann::json args);
  // The reply payload of one call: the handler's result, or an error naming what went wrong.
  std::string RunHandler(const JsonHandler& handler, const std::string& method,
                         const nlohmann::json& args);
  std::string UnknownMethodMessage(const std::string& method) const;

  // Constant after construction.
  const RpcServerOptions options;

  // Written by Register before Start, read-only afterwards (so handler threads read it freely).
  std::map<std::string, JsonHandler> handlers;

  // Counters, updated from any thread.
  std::atomic<std::int64_t> connections_accepted{0};
  std::atomic<std::int64_t> connections_refused{0};
  std::atomic<std::int64_t> requests_handled{0};
  std::atomic<std::int64_t> error_replies{0};
  std::atomic<std::int64_t> protocol_errors{0};

  // Handler threads still running. Protected by inflight_mu.
  std::mutex inflight_mu;
  std::condition_variable inflight_done;
  int inflight = 0;

  std::mutex lifecycle_mu;  // serializes Start and Stop
  bool started = false;
  bool stopped = false;
  std::string socket_path;

  // The I/O side. io is declared after the state above, so that when it is destroyed the
  // pending completion handlers (which hold connections) go while that state still exists,
  // and before the acceptor, so that it outlives the acceptor.
  asio::io_context io;
  std::unique_ptr<asio::local::stream_protocol::acceptor> acceptor;
  // Open connections, by id. Touched only on the I/O thread.
  std::map<std::uint64_t, std::weak_ptr<Connection>> connections;
  std::uint64_t next_connection_id = 0;
  std::thread io_thread;
};

// One accepted connection: read a frame, answer it, repeat. All members are used only on the
// I/O thread.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(detail::RpcServerImpl* server, Socket socket, std::uint64_t id)
      : server_(server), socket_(std::move(socket)), timer_(server->io), id_(id) {}

  void Start() { ReadHeader(); }

  // Sends `payload` as one frame; afterwards reads the next request, or closes if asked.
  void Write(const std::string& payload, bool close_after) {
    if (closed_) return;
    out_ = wire::EncodeFrame(payload);
    ArmTimer(server_->options.frame_timeout, "writing a reply");
    asio::async_write(
        socket_, asio::buffer(out_),
        [self = shared_from_this(), close_after](boost::system::error_code ec, std::size_t) {
          self->CancelTimer();
          if (ec || close_after) {
            self->Close();
          } else {
            self->ReadHeader();
          }
        });
  }

  void WriteError(std::string_view error, bool close_after) {
    server_->error_replies++;
    Write(wire::ErrorReplyPayload(error), close_after);
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    CancelTimer();
    boost::system::error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
    server_->connections.erase(id_);
  }

 private:
  void ReadHeader() {
    if (closed_) return;
    ArmTimer(server_->options.idle_timeout, "waiting for a request");
    asio::async_read(socket_, asio::buffer(header_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                       self->CancelTimer();
                       self->OnHeader(ec, n);
                     });
  }

  void OnHeader(boost::system::error_code ec, std::size_t n) {
    if (ec) {
      // A clean close between requests is the normal end of a connection.
      if (n > 0 && ec != asio::error::operation_aborted) {
        server_->LogProtocolError("connection closed in the middle of a frame header");
      }
      Close();
      return;
    }
    std::uint32_t length = wire::DecodeHeader(header_);
    if (length == 0) {
      server_->LogProtocolError("empty frame");
      WriteError("empty frame (a request is a non-empty JSON object)", false);
      return;
    }
    if (length > server_->options.max_frame_bytes) {
      server_->LogProtocolError("frame of " + std::to_string(length) + " bytes refused");
      WriteError("frame of " + std::to_string(length) + " bytes is over the limit of " +
                     std::to_string(server_->options.max_frame_bytes) + " bytes",
                 true);
      return;
    }
    body_.assign(length, '\0');
    ArmTimer(server_->options.frame_timeout, "reading a frame");
    asio::async_read(socket_, asio::buffer(body_),
                     [self = shared_from_this()](boost::system::error_code read_ec, std::size_t) {
                       self->CancelTimer();
                       self->OnBody(read_ec);
                     });
  }

  void OnBody(boost::system::error_code ec) {
    if (ec) {
      if (ec != asio::error::operation_aborted) {
        server_->LogProtocolError("truncated frame (" + ec.message() + ")");
      }
      Close();
      return;
    }
    std::string error;
    std::optional<wire::Request> request = wire::ParseRequest(body_, &error);
    body_.clear();
    if (!request) {
      server_->LogProtocolError(error);
      WriteError(error, false);
      return;
    }
    auto handler = server_->handlers.find(request->method);
    if (handler == server_->handlers.end()) {
      std::string message = server_->UnknownMethodMessage(request->method);
      server_->LogProtocolError(message);
      WriteError(message, false);
      return;
    }
    server_->Dispatch(shared_from_this(), &handler->second, std::move(request->method),
                      std::move(request->args));
  }

  // At most one timer is pending per connection; a generation number makes a late expiry of
  // an earlier arming harmless.
  void ArmTimer(std::chrono::milliseconds timeout, const char* what) {
    ++timer_generation_;
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this(), generation = timer_generation_,
                       what](boost::system::error_code ec) {
      if (ec || generation != self->timer_generation_ || self->closed_) return;
      self->server_->LogProtocolError(std::string("connection timed out ") + what);
      self->Close();
    });
  }

  void CancelTimer() {
    ++timer_generation_;
    timer_.cancel();
  }

  detail::RpcServerImpl* const server_;
  Socket socket_;
  asio::steady_timer timer_;
  const std::uint64_t id_;
  std::uint64_t timer_generation_ = 0;
  bool closed_ = false;
  wire::Header header_{};
  std::string body_;
  std::string out_;  // the frame being written; must live until the write completes
};

void detail::RpcServerImpl::Accept() {
  acceptor->async_accept([this](boost::system::error_code ec, Socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (!ec) {
      if (static_cast<int>(connections.size()) >= options.max_connections) {
        connections_refused++;
        LogProtocolError("too many connections; closing a new one");
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        connections_accepted++;
        std::uint64_t id = next_connection_id++;
        auto connection = std::make_shared<Connection>(this, std::move(socket), id);
        connections[id] = connection;
        connection->Start();
      }
    }
    Accept();
  });
}

void detail::RpcServerImpl::Dispatch(std::shared_ptr<Connection> connection,
                                     const JsonHandler* handler, std::string method,
                                     nlohmann::json args) {
  {
    std::lock_guard<std::mutex> lock(inflight_mu);
    ++inflight;
  }
  requests_handled++;
  std::thread([this, connection = std::move(connection), handler, method = std::move(method),
               args = std::move(args)]() mutable {
    {
      std::string payload = RunHandler(*handler, method, args);
      args = nullptr;
      // The thread gives its reference to the connection away: from here on only the I/O
      // side owns it, so it is never destroyed on this thread (which may outlive the server).
      asio::post(io, [connection = std::move(connection), payload = std::move(payload)] {
        connection->Write(payload, false);
      });
    }
    // Last: after this, Stop may let the server be destroyed.
    std::lock_guard<std::mutex> lock(inflight_mu);
    --inflight;
    inflight_done.notify_all();
  }).detach();
}

std::string detail::RpcServerImpl::RunHandler(const JsonHandler& handler, const std::string& method,
                                              const nlohmann::json& args) {
  try {
    return wire::OkReplyPayload(handler(args));
  } catch (const RpcArgumentError& e) {
    error_replies++;
    return wire::ErrorReplyPayload(e.what());
  } catch (const std::exception& e) {
    error_replies++;
    return wire::ErrorReplyPayload("handler " + method + " threw: " + e.what());
  } catch (...) {
    error_replies++;
    return wire::ErrorReplyPayload("handler " + method + " threw a non-standard exception");
  }
}

std::string detail::RpcServerImpl::UnknownMethodMessage(const std::string& method) const {
  std::string message = "unknown method \"" + method + "\"; registered methods:";
  for (const auto& [name, handler] : handlers) message += " " + name;
  if (handlers.empty()) message += " (none)";
  return message;
}

void detail::RpcServerImpl::LogProtocolError(std::string_view what) {
  std::int64_t count = ++protocol_errors;
  if (count <= options.max_logged_errors) {
    std::fprintf(stderr, "rpc server: %.*s\n", static_cast<int>(what.size()), what.data());
    if (count == options.max_logged_errors) {
      std::fprintf(stderr, "rpc server: further protocol errors are counted, not logged\n");
    }
  }
}

RpcServer::RpcServer(RpcServerOptions options)
    : impl_(std::make_unique<detail::RpcServerImpl>(options)) {}

RpcServer::~RpcServer() {
  try {
    Stop();
  } catch (const std::exception& e) {  // a destructor cannot report it otherwise
    std::fprintf(stderr, "rpc server: error while stopping: %s\n", e.what());
  }
}

void RpcServer::RegisterJson(const std::string& method, JsonHandler handler) {
  std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
  if (impl_->started) {
    throw std::logic_error("RpcServer::Register(\"" + method + "\") after Start");
  }
  if (!impl_->handlers.emplace(method, std::move(handler)).second) {
    throw std::logic_error("RpcServer::Register: \"" + method + "\" registered twice");
  }
}

void RpcServer::Start(const std::string& socket_path) {
  std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
  if (impl_->started) throw std::logic_error("RpcServer::Start called twice");
  asio::local::stream_protocol::endpoint endpoint(socket_path);  // throws if too long
  ::unlink(socket_path.c_str());  // a stale socket from an earlier run (Go: os.Remove)
  auto acceptor = std::make_unique<asio::local::stream_protocol::acceptor>(impl_->io);
  boost::system::error_code ec;
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::system_error(ec.value(), std::generic_category(),
                            "RpcServer: cannot listen on " + socket_path);
  }
  impl_->acceptor = std::move(acceptor);
  impl_->socket_path = socket_path;
  impl_->started = true;
  impl_->Accept();
  impl_->io_thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

void RpcServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  detail::RpcServerImpl* impl = impl_.get();
  // Close the acceptor and every connection on the I/O thread, which owns them.
  asio::post(impl->io, [impl] {
    boost::system::error_code ignored;
    impl->acceptor->close(ignored);
    std::vector<std::shared_ptr<Connection>> open;
    for (auto& [id, weak] : impl->connections) {
      if (auto connection = weak.lock()) open.push_back(connection);
    }
    for (auto& connection : open) connection->Close();
  });
  {
    std::unique_lock<std::mutex> inflight_lock(impl->inflight_mu);
    impl->inflight_done.wait(inflight_lock, [impl] { return impl->inflight == 0; });
  }
  impl->io.stop();
  impl->io_thread.join();
  ::unlink(impl->socket_path.c_str());
}

RpcServerStats RpcServer::stats() const {
  RpcServerStats s;
  s.connections_accepted = impl_->connections_accepted;
  s.connections_refused = impl_->connections_refused;
  s.requests_handled = impl_->requests_handled;
  s.error_replies = impl_->error_replies;
  s.protocol_errors = impl_->protocol_errors;
  return s;
}

}  // namespace mr
