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

Encoder& Encoder::PutBytesRef(const Bytes& bytes) {
  refs_.emplace_back(values_.size(), &bytes);
  values_.push_back(nullptr);
  return *this;
}

namespace {

// MessagePack's big-endian unsigned integer of `width` bytes.
void AppendBigEndian(Bytes& out, std::uint64_t value, int width) {
  for (int shift = 8 * (width - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

// The headers nlohmann::json::to_msgpack writes: the smallest form that fits.
void AppendArrayHeader(Bytes& out, std::size_t size) {
  if (size <= 15) {
    out.push_back(static_cast<std::uint8_t>(0x90 | size));  // fixarray
  } else if (size <= 0xffff) {
    out.push_back(0xdc);  // array 16
    AppendBigEndian(out, size, 2);
  } else {
    out.push_back(0xdd);  // array 32
    AppendBigEndian(out, size, 4);
  }
}

void AppendBinary(Bytes& out, const Bytes& bytes) {
  if (bytes.size() <= 0xff) {
    out.push_back(0xc4);  // bin 8
    AppendBigEndian(out, bytes.size(), 1);
  } else if (bytes.size() <= 0xffff) {
    out.push_back(0xc5);  // bin 16
    AppendBigEndian(out, bytes.size(), 2);
  } else {
    if (bytes.size() > 0xffffffffu) {
      detail::ThrowCodecError("lab::Encoder", "cannot encode", "a byte string over 4 GiB");
    }
    out.push_back(0xc6);  // bin 32
    AppendBigEndian(out, bytes.size(), 4);
  }
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace

Bytes Encoder::Finish() const {
  std::size_t size_hint = 16;
  for (const nlohmann::json& value : values_) {
    size_hint += 16;  // room for a small value or a header
    if (value.is_binary()) size_hint += value.get_binary().size();
    if (value.is_string()) size_hint += value.get_ref<const std::string&>().size();
  }
  for (const auto& ref : refs_) size_hint += ref.second->size();
  Bytes bytes;
  bytes.reserve(size_hint);
  if (refs_.empty()) {
    nlohmann::json::to_msgpack(values_, bytes);
    return bytes;
  }
  // The same bytes as to_msgpack of the whole array, with each referenced byte string written
  // straight from where it lives: an array's encoding is its header, then each value's.
  AppendArrayHeader(bytes, values_.size());
  auto ref = refs_.begin();
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (ref != refs_.end() && ref->first == i) {
      AppendBinary(bytes, *ref->second);
      ++ref;
    } else {
      nlohmann::json::to_msgpack(values_[i], bytes);
    }
  }
  return bytes;
}

}  // namespace lab
