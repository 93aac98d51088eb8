// The codec: how RPC arguments, replies and persisted state become bytes (Go's labgob).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Any type nlohmann::json can convert works. For a struct, list every field in the macro:
//
//   struct RequestVoteArgs {
//     int term = 0;
//     int candidate_id = 0;
//   };
//   NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestVoteArgs, term, candidate_id)
//
// NOTE: a field missing from the macro does not cross the network and is not persisted: the
// receiver sees its default value. (Go's labgob warns about lower-case field names for the
// same reason.) A type with no conversion at all fails to compile with a message that says
// which macro to add.
//
// The encoded form is MessagePack (compact, binary); byte counts in the network's statistics
// are the sizes of these encodings. Decode never trusts its input: malformed or truncated
// bytes, or bytes of the wrong shape for T, throw lab::CodecError with a message naming T and
// the problem. Nothing is undefined behaviour.
#ifndef LABRPC_CODEC_H_
#define LABRPC_CODEC_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

// lab::Bytes (std::vector<std::uint8_t>: snapshots, encoded state) crosses the codec as one
// MessagePack binary value, not as the array of numbers nlohmann::json makes of a vector by
// default: a 100 KB snapshot in an InstallSnapshot costs 100 KB and one allocation instead of
// 100,000 JSON values (which made snapshots the largest cost of the key/value suites).
// Decoding also accepts the array form.
namespace nlohmann {
template <>
struct adl_serializer<std::vector<std::uint8_t>> {
  static void to_json(json& j, const std::vector<std::uint8_t>& bytes) { j = json::binary(bytes); }
  static void from_json(const json& j, std::vector<std::uint8_t>& bytes) {
    if (j.is_binary()) {
      const json::binary_t& binary = j.get_binary();
      bytes.assign(binary.begin(), binary.end());
      return;
    }
    if (!j.is_array()) (void)j.get_binary();  // throws type_error: "type must be binary, ..."
    bytes.clear();
    bytes.reserve(j.size());
    for (const json& element : j) bytes.push_back(element.get<std::uint8_t>());
  }
};
}  // namespace nlohmann

namespace lab {

// Bytes on the wire and in the persister (Go's []byte).
using Bytes = std::vector<std::uint8_t>;

class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class T>
concept Encodable = requires(nlohmann::json& j, const T& v) {
  j = v;
};
template <class T>
concept Decodable = requires(const nlohmann::json& j, T& v) {
  j.get_to(v);
};

namespace detail {
[[noreturn]] void ThrowCodecError(std::string_view type_name, std::string_view what,
                                  std::string_view detail);
template <class T>
std::string_view TypeName() {
  // "std::string_view lab::detail::TypeName() [with T = RequestVoteArgs; ...]"
  std::string_view f = __PRETTY_FUNCTION__;
  auto start = f.find("T = ");
  if (start == std::string_view::npos) return f;
  start += 4;
  auto end = f.find_first_of(";]", start);
  return f.substr(start, end - start);
}
nlohmann::json DecodeJson(const Bytes& bytes, std::string_view type_name);
}  // namespace detail

// Encodes a value as MessagePack bytes.
template <class T>
Bytes Encode(const T& value) {
  static_assert(Encodable<T>,
                "lab::Encode: this type cannot be converted to JSON. For a struct, add "
                "NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Type, field1, field2, ...) after its "
                "definition (every field that must cross the network or be persisted).");
  try {
    return nlohmann::json::to_msgpack(nlohmann::json(value));
  } catch (const nlohmann::json::exception& e) {
    detail::ThrowCodecError(detail::TypeName<T>(), "cannot encode", e.what());
  }
}

// Decodes bytes produced by Encode<T>. Throws CodecError on malformed input.
template <class T>
T Decode(const Bytes& bytes) {
  static_assert(Decodable<T>,
                "lab::Decode: this type cannot be converted from JSON. For a struct, add "
                "NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Type, field1, field2, ...) after its "
                "definition, and give it a default constructor.");
  nlohmann::json j = detail::DecodeJson(bytes, detail::TypeName<T>());
  try {
    return j.template get<T>();
  } catch (const nlohmann::json::exception& e) {
    detail::ThrowCodecError(detail::TypeName<T>(), "bytes do not hold this type", e.what());
  }
}

// Several values in one byte string (a persisted Raft state is often term, vote and log).
// Write with Encoder and read back in the same order with Decoder.
class Encoder {
 public:
  // Takes `value` by forwarding reference: an rvalue (a large byte string, say) is moved into
  // the encoder rather than copied.
  template <class T>
  Encoder& Put(T&& value) {
    static_assert(Encodable<std::remove_cvref_t<T>>,
                  "lab::Encoder::Put: see lab::Encode for how to make T encodable");
    values_.push_back(nlohmann::json(std::forward<T>(value)));
    return *this;
  }
  // Puts `bytes` as a byte string without copying it now: Finish reads it, so it must stay
  // alive and unchanged until then. For a large value saved often (a Raft log persisted after
  // every change): Put would copy it into the encoder, and Finish copy it again. The result is
  // the same as Put(nlohmann::json::binary(bytes)), and reads back as the same byte string.
  Encoder& PutBytesRef(const Bytes& bytes);
  // The encoding of every value put so far. Reserves room for the byte strings first, so a
  // large value (a Raft log, a snapshot) is copied once rather than through each growth step.
  Bytes Finish() const;

 private:
  nlohmann::json values_ = nlohmann::json::array();
  // PutBytesRef's values: their position in values_ (which holds a null there) and the bytes.
  std::vector<std::pair<std::size_t, const Bytes*>> refs_;
};

class Decoder {
 public:
  // Throws CodecError if `bytes` is not what an Encoder produced.
  explicit Decoder(const Bytes& bytes);
  template <class T>
  T Get() {
    static_assert(Decodable<T>, "lab::Decoder::Get: see lab::Decode for how to make T decodable");
    if (next_ >= values_.size()) {
      detail::ThrowCodecError(detail::TypeName<T>(), "no more values",
                              "read more values than were encoded");
    }
    try {
      return values_[next_++].template get<T>();
    } catch (const nlohmann::json::exception& e) {
      detail::ThrowCodecError(detail::TypeName<T>(), "value does not hold this type", e.what());
    }
  }
  std::size_t remaining() const { return values_.size() - next_; }

 private:
  nlohmann::json values_;
  std::size_t next_ = 0;
};

}  // namespace lab

#endif  // LABRPC_CODEC_H_
