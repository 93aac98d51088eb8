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
#ifndef LABRPC_DEBUG_H_
#define LABRPC_DEBUG_H_

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace lab::debug {
// True when at least one topic is enabled (read once from the environment at start-up).
extern const bool kAnyEnabled;
bool TopicEnabled(std::string_view topic);
void Write(std::string_view topic, const std::string& message);
// Where the log went, for failure reports: off (and how to turn it on), stderr, or a file.
std::string Destination();
}  // namespace lab::debug

#define LAB_DEBUG(topic, ...)                                             \
  do {                                                                    \
    if (::lab::debug::kAnyEnabled && ::lab::debug::TopicEnabled(topic)) { \
      ::lab::debug::Write(topic, ::fmt::format(__VA_ARGS__));             \
    }                                                                     \
  } while (0)

#endif  // LABRPC_DEBUG_H_
