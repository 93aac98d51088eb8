#include "labrpc/record.h"

#include <chrono>
#include <mutex>

#include <nlohmann/json.hpp>

#include "labrpc/debug.h"
#include "labrpc/runtime/runtime.h"

namespace lab::record {
namespace detail {
std::atomic<bool> on{false};
}  // namespace detail

namespace {

// The real backend records from several threads; the simulator from one.
struct Recorder {
  std::mutex mu;
  std::vector<Event> events;
  std::int64_t next_rpc = 0;
};

Recorder& GetRecorder() {
  static Recorder recorder;
  return recorder;
}

}  // namespace

void Start() {
  Recorder& r = GetRecorder();
  std::lock_guard lock(r.mu);
  r.events.clear();
  r.next_rpc = 0;
  detail::on.store(true);
  debug::SetRecording(true);
}

std::vector<Event> Stop() {
  Recorder& r = GetRecorder();
  std::lock_guard lock(r.mu);
  detail::on.store(false);
  debug::SetRecording(false);
  std::vector<Event> out;
  out.swap(r.events);
  return out;
}

std::int64_t NowUs() {
  if (!InRun()) return 0;
  return std::chrono::duration_cast<std::chrono::microseconds>(now().time_since_epoch()).count();
}

void Add(Event event) {
  if (!Recording()) return;
  Recorder& r = GetRecorder();
  std::lock_guard lock(r.mu);
  r.events.push_back(std::move(event));
}

void Note(std::string_view kind, std::string_view lane, std::string_view name,
          std::string_view text) {
  if (!Recording()) return;
  Event e;
  e.t_us = NowUs();
  e.kind = kind;
  e.lane = lane;
  e.name = name;
  e.text = text;
  Add(std::move(e));
}

std::int64_t NextRpcId() {
  Recorder& r = GetRecorder();
  std::lock_guard lock(r.mu);
  return r.next_rpc++;
}

std::string ToJson(const std::vector<Event>& events) {
  // Only the fields an event uses, in a fixed order; short keys keep big records small.
  std::string out = "[\n";
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    nlohmann::ordered_json j;
    j["t"] = e.t_us;
    j["k"] = e.kind;
    if (!e.lane.empty()) j["l"] = e.lane;
    if (!e.peer.empty()) j["p"] = e.peer;
    if (!e.name.empty()) j["n"] = e.name;
    if (e.id >= 0) j["id"] = e.id;
    if (e.bytes >= 0) j["b"] = e.bytes;
    if (e.end_us >= 0) j["e"] = e.end_us;
    if (!e.text.empty()) j["x"] = e.text;
    // Student messages may hold any bytes: replace what is not UTF-8 rather than fail.
    out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += i + 1 < events.size() ? ",\n" : "\n";
  }
  out += "]\n";
  return out;
}

}  // namespace lab::record
