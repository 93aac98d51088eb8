// The HTML visualization of a checked history: one self-contained page (inline CSS and
// JavaScript, no network), readable offline and attachable to a bug report.
//
//   data = VisualizationData(model, history, info, annotations)   what to draw, as JSON
//   WriteVisualizationFile(data, "out.html")                      the page
//
// The page draws, per partition (for the key/value model: per key), one row per client on a
// time axis, each operation a box labelled with its description. The longest linearizable
// prefix is highlighted with its linearization points; clicking an operation shows the
// longest prefix that contains it; the operation at which linearization becomes impossible
// is marked; tooltips give each operation's state before and after; annotations (network
// partitions, crashes) are drawn as bands or lines. docs/en/linearizability.md explains how
// to read it.
//
// `info` must come from CheckOperationsVerbose with options.verbose = true for Illegal
// partitions to show their prefixes (Ok partitions always have their linearization).
#ifndef GRADING_LINEARIZABILITY_VISUALIZE_H_
#define GRADING_LINEARIZABILITY_VISUALIZE_H_

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "grading/linearizability/annotation.h"
#include "grading/linearizability/checker.h"
#include "grading/linearizability/model.h"

namespace lab::linearizability {

// Writes the page for `data` (from VisualizationData).
void WriteVisualization(const nlohmann::ordered_json& data, std::ostream& out);
// Same, to a file. Throws std::runtime_error if it cannot be written.
void WriteVisualizationFile(const nlohmann::ordered_json& data, const std::string& path);

namespace detail {
nlohmann::ordered_json VisualizationHeader(const LinearizationInfo& info,
                                           const std::vector<Annotation>& annotations,
                                           const std::string& title);
nlohmann::ordered_json PartitionHeader(const PartitionInfo& partition, std::size_t index,
                                       const std::string& name);
}  // namespace detail

// Builds the drawing data. Replays `model.step` along every recorded prefix to describe the
// state after each operation; throws std::logic_error if a recorded step is refused (which
// would be a checker bug).
template <typename State, typename Input, typename Output>
nlohmann::ordered_json VisualizationData(const Model<State, Input, Output>& user_model,
                                         const std::vector<Operation<Input, Output>>& history,
                                         const LinearizationInfo& info,
                                         const std::vector<Annotation>& annotations = {},
                                         const std::string& title = "") {
  const Model<State, Input, Output> model = user_model.Resolved();
  nlohmann::ordered_json data = detail::VisualizationHeader(info, annotations, title);
  data["initial_state"] = model.describe_state(model.init());
  for (std::size_t p = 0; p < info.partitions.size(); ++p) {
    const PartitionInfo& partition = info.partitions[p];
    const std::string name =
        partition.operations.empty()
            ? std::string()
            : model.describe_partition(history[partition.operations.front()].input);
    nlohmann::ordered_json out = detail::PartitionHeader(partition, p, name);
    auto& ops = out["operations"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < partition.operations.size(); ++i) {
      const auto& op = history[partition.operations[i]];
      ops.push_back({{"id", partition.operations[i]},
                     {"client", op.client_id},
                     {"call", op.call},
                     {"return", op.return_time},
                     {"description", model.describe_operation(op.input, op.output)},
                     {"largest", partition.largest[i]}});
    }
    // State descriptions are stored once per partition and referred to by index: prefixes
    // share most of their states, and key/value states can be long.
    auto& states = out["states"] = nlohmann::ordered_json::array();
    std::unordered_map<std::string, std::size_t> state_index;
    auto& prefixes = out["linearizations"] = nlohmann::ordered_json::array();
    for (const auto& prefix : partition.partial_linearizations) {
      auto& steps = prefixes.emplace_back(nlohmann::ordered_json::array());
      State state = model.init();
      for (std::size_t index : prefix) {
        std::optional<State> next = model.step(state, history[index].input, history[index].output);
        if (!next) throw std::logic_error("visualization: a recorded prefix does not replay");
        state = std::move(*next);
        std::string description = model.describe_state(state);
        auto [it, added] = state_index.emplace(std::move(description), states.size());
        if (added) states.push_back(it->first);
        steps.push_back({index, it->second});
      }
    }
    data["partitions"].push_back(std::move(out));
  }
  return data;
}

// VisualizationData + WriteVisualizationFile in one call.
template <typename State, typename Input, typename Output>
void VisualizeToFile(const Model<State, Input, Output>& model,
                     const std::vector<Operation<Input, Output>>& history,
                     const LinearizationInfo& info, const std::string& path,
                     const std::vector<Annotation>& annotations = {},
                     const std::string& title = "") {
  WriteVisualizationFile(VisualizationData(model, history, info, annotations, title), path);
}

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_VISUALIZE_H_
