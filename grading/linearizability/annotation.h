// Annotation: a note drawn on the history timeline, e.g. "partition {0,1} | {2,3,4}" over
// the interval it lasted, or "server 2 crashed" at one instant. Testers add them so that a
// failing history shows what the network and the servers were doing.
#ifndef GRADING_LINEARIZABILITY_ANNOTATION_H_
#define GRADING_LINEARIZABILITY_ANNOTATION_H_

#include <cstdint>
#include <optional>
#include <string>

namespace lab::linearizability {

struct Annotation {
  // The client row it belongs to; absent = the whole system (drawn across every row).
  std::optional<int> client_id;
  // Same time unit as the operations. start == end is a point, otherwise an interval.
  // Invariant (checked when read from JSON): start <= end.
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::string description;  // short label drawn on the timeline
  std::string details;      // longer text for the tooltip (optional)
  std::string tag;          // a category such as "partition" or "crash" (optional)
  std::string color;        // a CSS color (optional; the page picks one per tag otherwise)
};

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_ANNOTATION_H_
