// Internal: the real backend's watchdog. A thread of its own that, every 50 ms, looks at the
// tasks of one run (RealRuntime::ProbeTasks) and turns a hang into a report:
//
//   deadlock     every live task is parked with no deadline, and none moved since the previous
//                look: nothing can ever wake them. The run fails with the task dump (as in the
//                simulator, and within about 100 ms). After the run was cancelled the same
//                state means a destructor or an unwinding task blocks for ever: the process
//                aborts with the dump.
//   stall        no task made progress (returned from a blocking call, yielded, started or
//                ended) for RunOptions::stall_seconds: the run fails with the dump, naming
//                what each task waits for; after cancellation the process aborts.
//   busy loop    one task ran for RunOptions::busy_loop_seconds without reaching a blocking
//                point: the process exits with status 70 and the same report as the
//                simulator's busy-loop watchdog.
//   time limit   the run's clock passed RunOptions::virtual_time_limit (real time here).
//
// It reads the tasks' probe words with relaxed loads (RealRuntime::ProbeTasks), so watching
// adds no synchronization between tasks; it takes their locks only to print a report, and it
// never wakes a task itself: a report cancels the run through Fail, as lab::Fatal would.
//
// Why "parked for ever in two looks, with equal words" is a certain deadlock: a parked task
// leaves Park only when woken, and returning bumps its word; a task parked with no deadline
// is woken only by another task. Both looks took 50 ms apart, each task's two reads bracket
// a common instant at which every task was parked with no deadline and nobody could act.
#ifndef LABRPC_RUNTIME_REAL_WATCHDOG_H_
#define LABRPC_RUNTIME_REAL_WATCHDOG_H_

#include <condition_variable>
#include <mutex>
#include <thread>

namespace lab::detail {

class RealRuntime;

class RealWatchdog {
 public:
  explicit RealWatchdog(RealRuntime& runtime);
  ~RealWatchdog();  // stops and joins the thread
  RealWatchdog(const RealWatchdog&) = delete;
  RealWatchdog& operator=(const RealWatchdog&) = delete;

 private:
  void Loop();

  RealRuntime& runtime_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // protected by mu_
  std::thread thread_;
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_REAL_WATCHDOG_H_
