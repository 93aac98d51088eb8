// LAB_DEBUG: a topic-based debug log for student and framework code.
//
//   LAB_DEBUG("vote", "granted vote to S{} in term {}", args.candidate_id, current_term_);
//
// Off by default and then nearly free: one load and a branch; the arguments are not even
// evaluated. Turn it on with the environment variable LAB_DEBUG:
//   LAB_DEBUG=1                 every topic
//   LAB_DEBUG=vote,append       only these topics
// Lines go to stderr, or to the file named by LAB_DEBUG_FILE, as
//   <virtual ms> <topic> <group> <task>: <message>
// e.g. "   1234 vote     server-2 ticker: granted vote to S0 in term 3". The log never draws
// randomness and never changes the schedule, so enabling it does not change a run.
//
// While a timeline is recorded (--timeline, labrpc/record.h), every LAB_DEBUG line of every
// topic also goes into the record, with its server and topic, whatever LAB_DEBUG says.
//
// Role and term band: a line of the topic "state" whose message starts with the role and
// holds "term N" draws the server's role as a coloured band on the timeline, e.g.
//   LAB_DEBUG("state", "leader term {}", current_term_);   // also: follower, candidate
// Log it wherever the role or the term changes.
#ifndef LABRPC_DEBUG_H_
#define LABRPC_DEBUG_H_

#include <atomic>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace lab::debug {
// True when at least one topic is enabled (read once from the environment at start-up).
extern const bool kAnyEnabled;
// kAnyEnabled, or a timeline is being recorded: the one flag LAB_DEBUG tests first.
extern std::atomic<bool> active;
inline bool Active() { return active.load(std::memory_order_relaxed); }
// Called by the recorder when it starts and stops.
void SetRecording(bool on);
bool TopicEnabled(std::string_view topic);
// TopicEnabled(topic), or a timeline is being recorded.
bool Wanted(std::string_view topic);
// Prints the line if its topic is enabled and records it if a timeline is being recorded.
void Write(std::string_view topic, const std::string& message);
// Prints the line only (framework lines whose content the record already holds).
void Print(std::string_view topic, const std::string& message);
// Where the log went, for failure reports: off (and how to turn it on), stderr, or a file.
std::string Destination();
}  // namespace lab::debug

#define LAB_DEBUG(topic, ...)                                    \
  do {                                                           \
    if (::lab::debug::Active() && ::lab::debug::Wanted(topic)) { \
      ::lab::debug::Write(topic, ::fmt::format(__VA_ARGS__));    \
    }                                                            \
  } while (0)

// The framework's own log lines about what the record holds anyway (each RPC's arguments):
// printed when their topic is enabled, never recorded.
#define LAB_DEBUG_PRINT_ONLY(topic, ...)                                  \
  do {                                                                    \
    if (::lab::debug::kAnyEnabled && ::lab::debug::TopicEnabled(topic)) { \
      ::lab::debug::Print(topic, ::fmt::format(__VA_ARGS__));             \
    }                                                                     \
  } while (0)

#endif  // LABRPC_DEBUG_H_
