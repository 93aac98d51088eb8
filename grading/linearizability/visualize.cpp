#include "grading/linearizability/visualize.h"

#include <fstream>
#include <ostream>
#include <string_view>

#include "grading/linearizability/history.h"

namespace lab::linearizability {

namespace detail {
// The page template (page.html, embedded at build time by embed_page.cmake).
extern const char kVisualizationPage[];
}  // namespace detail

namespace {

constexpr std::string_view kDataPlaceholder = "\"__LINEARIZABILITY_DATA__\"";

// JSON text that is safe inside <script type="application/json">: "</" cannot end the
// script element early once written as "<\/" (an equivalent JSON escape).
std::string ScriptSafeJson(const nlohmann::ordered_json& data) {
  const std::string json =
      data.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += json[i];
    }
  }
  return out;
}

}  // namespace

namespace detail {

nlohmann::ordered_json VisualizationHeader(const LinearizationInfo& info,
                                           const std::vector<Annotation>& annotations,
                                           const std::string& title) {
  nlohmann::ordered_json data;
  data["title"] = title;
  data["result"] = ToString(info.result);
  data["timed_out"] = info.timed_out;
  auto& list = data["annotations"] = nlohmann::ordered_json::array();
  for (const Annotation& a : annotations) list.push_back(AnnotationToJson(a));
  data["partitions"] = nlohmann::ordered_json::array();
  return data;
}

nlohmann::ordered_json PartitionHeader(const PartitionInfo& partition, std::size_t index,
                                       const std::string& name) {
  nlohmann::ordered_json out;
  out["index"] = index;
  out["name"] = name.empty() ? "partition " + std::to_string(index) : name;
  out["result"] = ToString(partition.result);
  if (partition.blocking_operation) {
    out["blocking"] = *partition.blocking_operation;
  } else {
    out["blocking"] = nullptr;
  }
  out["stats"] = {{"steps", partition.steps},
                  {"backtracks", partition.backtracks},
                  {"cache_entries", partition.cache_entries}};
  return out;
}

}  // namespace detail

void WriteVisualization(const nlohmann::ordered_json& data, std::ostream& out) {
  const std::string_view page = detail::kVisualizationPage;
  const std::size_t at = page.find(kDataPlaceholder);
  if (at == std::string_view::npos) {
    throw std::logic_error("visualization page template has no data placeholder");
  }
  out << page.substr(0, at) << ScriptSafeJson(data) << page.substr(at + kDataPlaceholder.size());
}

void WriteVisualizationFile(const nlohmann::ordered_json& data, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path + ": cannot create file");
  WriteVisualization(data, out);
  out.close();
  if (!out) throw std::runtime_error(path + ": write error");
}

}  // namespace lab::linearizability
