#include "labrpc/debug.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>

#include "labrpc/record.h"
#include "labrpc/runtime/runtime.h"

namespace lab::debug {
namespace {

struct Config {
  bool all = false;
  std::set<std::string, std::less<>> topics;
  std::FILE* out = stderr;
  std::string file;  // LAB_DEBUG_FILE, when it could be opened
};

Config ReadConfig() {
  Config config;
  const char* spec = std::getenv("LAB_DEBUG");
  if (spec == nullptr || *spec == '\0' || std::string_view(spec) == "0") return config;
  std::string_view rest = spec;
  if (rest == "1" || rest == "all") {
    config.all = true;
  } else {
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view topic = rest.substr(0, comma);
      if (!topic.empty()) config.topics.emplace(topic);
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    }
  }
  if (const char* file = std::getenv("LAB_DEBUG_FILE")) {
    if (std::FILE* f = std::fopen(file, "a")) {
      config.out = f;
      config.file = file;
    } else {
      std::fprintf(stderr, "LAB_DEBUG_FILE=%s: cannot open; logging to stderr\n", file);
    }
  }
  return config;
}

const Config& GetConfig() {
  static const Config config = ReadConfig();
  return config;
}

}  // namespace

const bool kAnyEnabled = GetConfig().all || !GetConfig().topics.empty();
std::atomic<bool> active{kAnyEnabled};

void SetRecording(bool on) { active.store(kAnyEnabled || on); }

bool TopicEnabled(std::string_view topic) {
  const Config& config = GetConfig();
  return config.all || config.topics.count(topic) > 0;
}

bool Wanted(std::string_view topic) { return record::Recording() || TopicEnabled(topic); }

std::string Destination() {
  const Config& config = GetConfig();
  if (!kAnyEnabled) {
    return "off; to get one, put LAB_DEBUG=1 (or LAB_DEBUG=topic,topic) in front of the replay "
           "command";
  }
  if (!config.file.empty()) return fmt::format("in {} (LAB_DEBUG_FILE)", config.file);
  return "on stderr, above (LAB_DEBUG_FILE=path writes it to a file)";
}

void Write(std::string_view topic, const std::string& message) {
  if (record::Recording()) {
    record::Event e;
    e.t_us = record::NowUs();
    e.kind = "debug";
    e.lane = CurrentGroupName();
    e.peer = CurrentTaskName();
    e.name = topic;
    e.text = message;
    record::Add(std::move(e));
  }
  if (kAnyEnabled && TopicEnabled(topic)) Print(topic, message);
}

void Print(std::string_view topic, const std::string& message) {
  const double ms = InRun() ? seconds_since_start() * 1000 : 0;
  const std::string line = fmt::format("{:>9.3f} {:<8} {:<10} {}: {}\n", ms, topic,
                                       CurrentGroupName(), CurrentTaskName(), message);
  static std::mutex mu;  // the real backend writes from several threads
  std::lock_guard lock(mu);
  std::fputs(line.c_str(), GetConfig().out);
  std::fflush(GetConfig().out);
}

}  // namespace lab::debug
