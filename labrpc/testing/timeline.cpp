#include "labrpc/testing/timeline.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

namespace lab::testing {

// The template's text, generated from timeline.html at build time (cmake/embed_text.cmake).
extern const char kTimelineTemplate[];

namespace {

// Text placed inside a <script> element must not contain "</": it could close the element.
std::string ForScript(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    out += json[i];
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') out += '\\';
  }
  return out;
}

}  // namespace

std::string TimelineHtml(const std::vector<record::Event>& events, const TimelineInfo& info) {
  nlohmann::ordered_json meta;
  meta["test"] = info.test;
  meta["seed"] = std::to_string(info.seed);
  meta["replay"] = info.replay;
  meta["failure"] = info.failure;
  const std::string data =
      ForScript("{\"meta\":" + meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                ",\n\"events\":" + record::ToJson(events) + "}");
  std::string page = kTimelineTemplate;
  const std::string marker = "/*@TIMELINE_DATA@*/";
  const auto at = page.find(marker);
  if (at == std::string::npos) return page;  // a broken template shows its own error
  page.replace(at, marker.size(), data);
  return page;
}

std::string WriteTimeline(const std::string& path, const std::vector<record::Event>& events,
                          const TimelineInfo& info) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ignored;  // a failure shows when the file is opened
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return path + ": cannot open for writing: " + std::strerror(errno);
  out << TimelineHtml(events, info);
  out.close();
  if (!out) return path + ": write failed";
  return "";
}

}  // namespace lab::testing
