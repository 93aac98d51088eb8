#include "mapreduce/framework/wire.h"

#include <utility>

namespace mr::wire {

Header EncodeHeader(std::uint32_t length) {
  return {static_cast<unsigned char>(length >> 24), static_cast<unsigned char>(length >> 16),
          static_cast<unsigned char>(length >> 8), static_cast<unsigned char>(length)};
}

std::uint32_t DecodeHeader(const Header& header) {
  return (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
         (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
}

std::string EncodeFrame(std::string_view payload) {
  Header header = EncodeHeader(static_cast<std::uint32_t>(payload.size()));
  std::string frame(header.begin(), header.end());
  frame.append(payload);
  return frame;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string RequestPayload(std::string_view method, const nlohmann::json& args) {
  return DumpJson({{"method", method}, {"args", args}});
}

std::string OkReplyPayload(const nlohmann::json& reply) {
  return DumpJson({{"ok", true}, {"reply", reply}});
}

std::string ErrorReplyPayload(std::string_view error) {
  return DumpJson({{"ok", false}, {"error", error}});
}

namespace {

// Parses a JSON object; nullopt (with a reason) for anything else.
std::optional<nlohmann::json> ParseObject(std::string_view payload, std::string* error) {
  nlohmann::json value = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    *error = "message is not valid JSON";
    return std::nullopt;
  }
  if (!value.is_object()) {
    *error = std::string("message is a JSON ") + value.type_name() + ", not an object";
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<Request> ParseRequest(std::string_view payload, std::string* error) {
  std::optional<nlohmann::json> value = ParseObject(payload, error);
  if (!value) return std::nullopt;
  auto method = value->find("method");
  if (method == value->end() || !method->is_string()) {
    *error = "request has no string field \"method\"";
    return std::nullopt;
  }
  auto args = value->find("args");
  if (args == value->end()) {
    *error = "request has no field \"args\"";
    return std::nullopt;
  }
  return Request{method->get<std::string>(), std::move(*args)};
}

std::optional<Reply> ParseReply(std::string_view payload, std::string* error) {
  std::optional<nlohmann::json> value = ParseObject(payload, error);
  if (!value) return std::nullopt;
  auto ok = value->find("ok");
  if (ok == value->end() || !ok->is_boolean()) {
    *error = "reply has no boolean field \"ok\"";
    return std::nullopt;
  }
  Reply reply;
  reply.ok = ok->get<bool>();
  if (reply.ok) {
    auto body = value->find("reply");
    if (body == value->end()) {
      *error = "reply has no field \"reply\"";
      return std::nullopt;
    }
    reply.reply = std::move(*body);
  } else {
    auto why = value->find("error");
    reply.error = (why != value->end() && why->is_string()) ? why->get<std::string>()
                                                            : "error reply without a reason";
  }
  return reply;
}

}  // namespace mr::wire
