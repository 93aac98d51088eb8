#include "grading/linearizability/history.h"

#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

namespace lab::linearizability {

namespace {

using Json = nlohmann::json;

// Reads fields of one JSON object, with error messages that say where.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string where) : object_(object), where_(std::move(where)) {}

  [[noreturn]] void Fail(const std::string& message) const {
    throw HistoryError(where_ + ": " + message);
  }

  // Fails if the object has a field not in `allowed`.
  void OnlyFields(std::initializer_list<std::string_view> allowed) const {
    for (const auto& [name, value] : object_.items()) {
      bool known = false;
      for (std::string_view a : allowed) known |= name == a;
      if (!known) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Fail("unknown field \"" + name + "\" (known fields: " + list + ")");
      }
    }
  }

  bool Has(const char* name) const { return object_.contains(name); }

  const Json& Required(const char* name) const {
    if (!object_.contains(name)) Fail(std::string("missing field \"") + name + "\"");
    return object_.at(name);
  }

  std::int64_t Integer(const char* name) const {
    const Json& value = Required(name);
    if (value.is_number_integer()) {
      if (value.is_number_unsigned() &&
          value.get<std::uint64_t>() >
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        Fail(std::string("\"") + name + "\" does not fit in a 64-bit signed integer");
      }
      return value.get<std::int64_t>();
    }
    Fail(std::string("\"") + name + "\" must be an integer, got " + TypeName(value));
  }

  std::string String(const char* name) const {
    const Json& value = Required(name);
    if (!value.is_string()) {
      Fail(std::string("\"") + name + "\" must be a string, got " + TypeName(value));
    }
    return value.get<std::string>();
  }

  std::string OptionalString(const char* name) const { return Has(name) ? String(name) : ""; }

 private:
  static std::string TypeName(const Json& value) {
    if (value.is_number_float()) return "a fractional number (" + value.dump() + ")";
    return std::string(value.type_name());
  }

  const Json& object_;
  std::string where_;
};

KvOp ParseOp(const FieldReader& fields, const Json& value) {
  if (value.is_string()) {
    if (auto op = KvOpFromName(value.get<std::string>())) return *op;
    fields.Fail("unknown \"op\" \"" + value.get<std::string>() +
                "\" (expected get, put, append or get_and_append)");
  }
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
      value.get<std::int64_t>() <= 3) {
    return static_cast<KvOp>(value.get<int>());
  }
  fields.Fail("\"op\" must be get, put, append, get_and_append (or 0-3), got " + value.dump());
}

KvOperation ParseOperation(const Json& json, const std::string& where) {
  if (!json.is_object()) {
    throw HistoryError(where + ": an operation must be a JSON object, got " + json.type_name());
  }
  FieldReader fields(json, where);
  fields.OnlyFields({"client", "op", "key", "value", "output", "call", "return"});
  KvOperation op;
  const std::int64_t client = fields.Integer("client");
  if (client < 0 || client > std::numeric_limits<int>::max()) {
    fields.Fail("\"client\" must be a non-negative int, got " + std::to_string(client));
  }
  op.client_id = static_cast<int>(client);
  op.input.op = ParseOp(fields, fields.Required("op"));
  op.input.key = fields.String("key");
  const bool reads = op.input.op == KvOp::kGet || op.input.op == KvOp::kGetAndAppend;
  const bool writes = op.input.op != KvOp::kGet;
  if (writes) {
    op.input.value = fields.String("value");
  } else if (!fields.OptionalString("value").empty()) {
    fields.Fail("a get has no \"value\" argument (did you mean \"output\"?)");
  }
  if (reads) {
    op.output.value = fields.String("output");
  } else if (!fields.OptionalString("output").empty()) {
    fields.Fail(std::string("a ") + KvOpName(op.input.op) +
                " returns nothing: \"output\" must be "
                "absent or \"\"");
  }
  op.call = fields.Integer("call");
  op.return_time = fields.Integer("return");
  if (op.return_time < op.call) {
    fields.Fail("returns (" + std::to_string(op.return_time) + ") before it is called (" +
                std::to_string(op.call) + ")");
  }
  return op;
}

Annotation ParseAnnotation(const Json& json, const std::string& where) {
  if (!json.is_object()) {
    throw HistoryError(where + ": an annotation must be a JSON object, got " + json.type_name());
  }
  FieldReader fields(json, where);
  fields.OnlyFields({"client", "start", "end", "description", "details", "tag", "color"});
  Annotation a;
  if (fields.Has("client")) {
    const std::int64_t client = fields.Integer("client");
    if (client < 0 || client > std::numeric_limits<int>::max()) {
      fields.Fail("\"client\" must be a non-negative int, got " + std::to_string(client));
    }
    a.client_id = static_cast<int>(client);
  }
  a.start = fields.Integer("start");
  a.end = fields.Has("end") ? fields.Integer("end") : a.start;
  if (a.end < a.start) fields.Fail("\"end\" is before \"start\"");
  a.description = fields.String("description");
  a.details = fields.OptionalString("details");
  a.tag = fields.OptionalString("tag");
  a.color = fields.OptionalString("color");
  return a;
}

const Json& ArrayField(const Json& top, const char* name, const std::string& source) {
  const Json& value = top.at(name);
  if (!value.is_array()) {
    throw HistoryError(source + ": \"" + name + "\" must be an array, got " + value.type_name());
  }
  return value;
}

}  // namespace

KvHistory ParseKvHistory(std::string_view text, std::string_view source_view) {
  const std::string source(source_view);
  Json top;
  try {
    top = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    const std::size_t bracket = what.find("] ");
    if (what.starts_with("[json.exception") && bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    throw HistoryError(source + ": not valid JSON: " + what);
  }
  KvHistory history;
  const Json* operations = &top;
  if (top.is_object()) {
    FieldReader(top, source).OnlyFields({"model", "operations", "annotations"});
    if (top.contains("model") && top["model"] != "kv") {
      throw HistoryError(source + ": unknown \"model\" " + top["model"].dump() +
                         " (only \"kv\" is supported)");
    }
    if (!top.contains("operations")) {
      throw HistoryError(source + ": missing field \"operations\"");
    }
    operations = &ArrayField(top, "operations", source);
    if (top.contains("annotations")) {
      const Json& annotations = ArrayField(top, "annotations", source);
      for (std::size_t i = 0; i < annotations.size(); ++i) {
        history.annotations.push_back(
            ParseAnnotation(annotations[i], source + ": annotations[" + std::to_string(i) + "]"));
      }
    }
  } else if (!top.is_array()) {
    throw HistoryError(source +
                       ": expected an object with \"operations\" or an array of "
                       "operations, got " +
                       top.type_name());
  }
  history.operations.reserve(operations->size());
  for (std::size_t i = 0; i < operations->size(); ++i) {
    history.operations.push_back(
        ParseOperation((*operations)[i], source + ": operations[" + std::to_string(i) + "]"));
  }
  return history;
}

KvHistory ReadKvHistoryFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HistoryError(path + ": cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw HistoryError(path + ": read error");
  return ParseKvHistory(text.str(), path);
}

nlohmann::ordered_json AnnotationToJson(const Annotation& annotation) {
  nlohmann::ordered_json json;
  if (annotation.client_id) json["client"] = *annotation.client_id;
  json["start"] = annotation.start;
  json["end"] = annotation.end;
  json["description"] = annotation.description;
  if (!annotation.details.empty()) json["details"] = annotation.details;
  if (!annotation.tag.empty()) json["tag"] = annotation.tag;
  if (!annotation.color.empty()) json["color"] = annotation.color;
  return json;
}

std::string KvHistoryToJson(const KvHistory& history) {
  constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;
  std::string out = "{\n  \"model\": \"kv\",\n  \"operations\": [";
  for (std::size_t i = 0; i < history.operations.size(); ++i) {
    const KvOperation& op = history.operations[i];
    nlohmann::ordered_json json;
    json["client"] = op.client_id;
    json["op"] = KvOpName(op.input.op);
    json["key"] = op.input.key;
    if (op.input.op != KvOp::kGet) json["value"] = op.input.value;
    if (op.input.op == KvOp::kGet || op.input.op == KvOp::kGetAndAppend) {
      json["output"] = op.output.value;
    }
    json["call"] = op.call;
    json["return"] = op.return_time;
    out += (i == 0 ? "\n    " : ",\n    ") + json.dump(-1, ' ', false, kReplace);
  }
  out += history.operations.empty() ? "],\n" : "\n  ],\n";
  out += "  \"annotations\": [";
  for (std::size_t i = 0; i < history.annotations.size(); ++i) {
    out += (i == 0 ? "\n    " : ",\n    ") +
           AnnotationToJson(history.annotations[i]).dump(-1, ' ', false, kReplace);
  }
  out += history.annotations.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

void WriteKvHistoryFile(const KvHistory& history, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw HistoryError(path + ": cannot create file");
  out << KvHistoryToJson(history);
  out.close();
  if (!out) throw HistoryError(path + ": write error");
}

}  // namespace lab::linearizability
