#include "mapreduce/framework/rpc_client.h"

#include <cstdlib>
#include <exception>

#include <boost/asio.hpp>

#include "mapreduce/framework/wire.h"

namespace mr {

namespace asio = boost::asio;
using Protocol = asio::local::stream_protocol;

namespace {

CallResult Failed(std::string error) { return {CallStatus::kFailed, nullptr, std::move(error)}; }

}  // namespace

CallResult CallJson(const std::string& socket_path, std::string_view method,
                    const nlohmann::json& args) {
  asio::io_context io;
  Protocol::socket socket(io);
  boost::system::error_code ec;
  try {
    socket.connect(Protocol::endpoint(socket_path), ec);
  } catch (const std::exception& e) {  // a path too long for a Unix socket
    return Failed(std::string("bad socket path: ") + e.what());
  }
  if (ec == boost::system::errc::connection_refused ||
      ec == boost::system::errc::no_such_file_or_directory) {
    return {CallStatus::kUnreachable, nullptr, "connect " + socket_path + ": " + ec.message()};
  }
  if (ec) return Failed("connect " + socket_path + ": " + ec.message());

  std::string frame = wire::EncodeFrame(wire::RequestPayload(method, args));
  asio::write(socket, asio::buffer(frame), ec);
  if (ec) return Failed("sending the request: " + ec.message());

  wire::Header header{};
  asio::read(socket, asio::buffer(header), ec);
  if (ec) {
    return Failed("the coordinator closed the connection without replying (" + ec.message() + ")");
  }
  std::uint32_t length = wire::DecodeHeader(header);
  if (length == 0 || length > wire::kMaxFrameBytes) {
    return Failed("reply frame of " + std::to_string(length) + " bytes refused");
  }
  std::string body(length, '\0');
  asio::read(socket, asio::buffer(body), ec);
  if (ec) return Failed("reading the reply: " + ec.message());

  std::string error;
  std::optional<wire::Reply> reply = wire::ParseReply(body, &error);
  if (!reply) return Failed("malformed reply: " + error);
  if (!reply->ok) return Failed(reply->error);
  return {CallStatus::kOk, std::move(reply->reply), {}};
}

namespace detail {

bool CallOrExit(std::string_view method, const nlohmann::json& args, nlohmann::json* reply) {
  CallResult result = CallJson(CoordinatorSock(), method, args);
  switch (result.status) {
    case CallStatus::kOk:
      *reply = std::move(result.reply);
      return true;
    case CallStatus::kUnreachable:
      std::fprintf(stderr,
                   "mr::Call(%.*s): cannot reach the coordinator (%s); it has exited, so this "
                   "worker exits too\n",
                   static_cast<int>(method.size()), method.data(), result.error.c_str());
      std::fflush(nullptr);
      std::_Exit(0);  // no static destructors: other worker threads may still run
    case CallStatus::kFailed:
      break;
  }
  std::fprintf(stderr, "mr::Call(%.*s) failed: %s\n", static_cast<int>(method.size()),
               method.data(), result.error.c_str());
  return false;
}

}  // namespace detail

}  // namespace mr
