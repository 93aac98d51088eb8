#include "labrpc/codec.h"

#include <fmt/format.h>

namespace lab {
namespace detail {

void ThrowCodecError(std::string_view type_name, std::string_view what, std::string_view detail) {
  throw CodecError(fmt::format("codec: {} ({}): {}", what, type_name, detail));
}

nlohmann::json DecodeJson(const Bytes& bytes, std::string_view type_name) {
  if (bytes.empty()) ThrowCodecError(type_name, "cannot decode", "no bytes (empty input)");
  try {
    return nlohmann::json::from_msgpack(bytes);
  } catch (const nlohmann::json::exception& e) {
    ThrowCodecError(type_name, "malformed bytes", e.what());
  }
}

}  // namespace detail

Decoder::Decoder(const Bytes& bytes) : values_(detail::DecodeJson(bytes, "lab::Decoder")) {
  if (!values_.is_array()) {
    detail::ThrowCodecError("lab::Decoder", "not an Encoder's output",
                            fmt::format("expected a list of values, got {}", values_.type_name()));
  }
}

Bytes Encoder::Finish() const {
  std::size_t size_hint = 16;
  for (const nlohmann::json& value : values_) {
    size_hint += 16;  // room for a small value or a header
    if (value.is_binary()) size_hint += value.get_binary().size();
    if (value.is_string()) size_hint += value.get_ref<const std::string&>().size();
  }
  Bytes bytes;
  bytes.reserve(size_hint);
  nlohmann::json::to_msgpack(values_, bytes);
  return bytes;
}

}  // namespace lab
