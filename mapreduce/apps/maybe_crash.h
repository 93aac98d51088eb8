// MaybeCrash: the fault injection of the crash app.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Draws r uniformly from 0..999 (from the OS's random source, as the original does): r < 330
// ends the process at once with status 1, as a crash would (no destructors, no flushing);
// 330 <= r < 660 sleeps a random 0 to 9,999 ms; otherwise returns immediately.
#ifndef MAPREDUCE_APPS_MAYBE_CRASH_H_
#define MAPREDUCE_APPS_MAYBE_CRASH_H_

namespace mr::apps {

void MaybeCrash();

}  // namespace mr::apps

#endif  // MAPREDUCE_APPS_MAYBE_CRASH_H_
