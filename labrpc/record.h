// The event record of a run: what the timeline page (testing/timeline.h) draws.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// While a recording is on, the framework notes every event a student needs to read a run:
//   rpc-send     lane = caller's group, peer = callee's group, name = "Raft.AppendEntries",
//                id = the call's number, bytes = encoded arguments, text = the arguments
//   rpc-deliver  the handler started
//   rpc-reply    the reply reached the caller (bytes = encoded reply)
//   rpc-fail     the call returned false; text says why (unreachable, request lost, ...)
//   crash, restart, connect, disconnect, link-up, link-down   (lane = the server)
//   net          reliability changes (text: "unreliable", "long reordering on", ...)
//   progress     the test's Begin and End lines (text)
//   failure      why the run failed (text), at the virtual time it ended
//   debug        a LAB_DEBUG line: name = its topic, text = the message, peer = the task
//   op           a key/value clerk operation: name = Get/Put/Append, t..end = call..return
// Times are microseconds of the run's clock (virtual in the simulator).
//
// Off by default, and then free: every hook starts with Recording(), one relaxed load of a
// global flag and a branch, and allocates nothing. Recording never draws randomness and never
// blocks, so a run with it on follows the same schedule as a run with it off, and in the
// simulator the same seed gives a byte-identical record (labrpc/tests/record_test.cpp).
//
// One recording at a time per process (test binaries run one test at a time).
#ifndef LABRPC_RECORD_H_
#define LABRPC_RECORD_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lab::record {

struct Event {
  std::int64_t t_us = 0;     // when it happened (rpc-send: when the call was made)
  std::int64_t end_us = -1;  // op: when it returned; -1 otherwise
  std::string kind;          // see the file comment
  std::string lane;          // where: a group name ("server-1", "tester", a clerk)
  std::string peer;          // rpc-send: the callee's group; debug: the task
  std::string name;          // rpc: "Service.Method"; debug: the topic; op: the operation
  std::string text;          // free text (arguments, reason, message)
  std::int64_t id = -1;      // rpc events: the call's number, shared by its events
  std::int64_t bytes = -1;   // rpc-send, rpc-reply: encoded size
};

namespace detail {
extern std::atomic<bool> on;
}  // namespace detail

// True while a recording is on. The only cost of the hooks when it is off.
inline bool Recording() { return detail::on.load(std::memory_order_relaxed); }

// Clears the record and starts recording.
void Start();
// Stops recording and returns what was recorded, in the order it happened.
std::vector<Event> Stop();

// Adds an event stamped with the current run's clock (0 outside a run). No-op when off.
void Note(std::string_view kind, std::string_view lane, std::string_view name = {},
          std::string_view text = {});
// Adds a fully built event (its t_us is kept). No-op when off.
void Add(Event event);
// A fresh call number for an RPC (0, 1, 2, ... per recording).
std::int64_t NextRpcId();
// The current run's clock in microseconds (0 outside a run).
std::int64_t NowUs();

// The record as JSON text, one event per line inside an array, keys in a fixed order: the
// form the determinism check compares and the timeline page embeds.
std::string ToJson(const std::vector<Event>& events);

}  // namespace lab::record

#endif  // LABRPC_RECORD_H_
