// The timeline page: one self-contained HTML file that draws a recorded run
// (labrpc/record.h): a lane per server and clerk, RPC arrows, crashes and disconnections,
// the debug log beside the lanes, and the failure. How to read it: docs/en/timeline.md.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// The page is testing/timeline.html, a template compiled into the test binaries (CMake
// embeds it), with the record as JSON in place of its data marker. It loads nothing from the
// network and opens offline in any browser.
#ifndef LABRPC_TESTING_TIMELINE_H_
#define LABRPC_TESTING_TIMELINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "labrpc/record.h"

namespace lab::testing {

// What the page's header says about the run.
struct TimelineInfo {
  std::string test;  // the test's name
  std::uint64_t seed = 0;
  std::string replay;   // the command that replays the run
  std::string failure;  // why it failed; "" if it passed
};

// The page for `events`.
std::string TimelineHtml(const std::vector<record::Event>& events, const TimelineInfo& info);

// Writes the page to `path`. Returns "" on success, otherwise what went wrong.
std::string WriteTimeline(const std::string& path, const std::vector<record::Event>& events,
                          const TimelineInfo& info);

}  // namespace lab::testing

#endif  // LABRPC_TESTING_TIMELINE_H_
