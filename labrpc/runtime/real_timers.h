// Internal: the real backend's timer service. Boost.Asio steady_timers on one io_context,
// served by a small pool of threads that do nothing but run timer callbacks.
//
// Why timers at all, when a thread could simply wait on its condition variable with a
// deadline? Because then a timed wait on the real backend works exactly like one in the
// simulator: a task parks for good, and a timer, set for the deadline and tagged with the
// park's sequence number, wakes it with WakeReason::kTimeout unless something else woke it
// first (a stale timer finds a newer sequence number and does nothing). Every way out of a
// park is one Wake call, decided under the task's lock, on both backends. Network delays and
// RPC timeouts are timed parks (sleep_for, recv_for), so they run on these timers too.
//
// Thread safety: each Timer object belongs to one task and is used only by that task's thread
// (Asio's rule for a timer object); the callbacks run on the service's threads.
#ifndef LABRPC_RUNTIME_REAL_TIMERS_H_
#define LABRPC_RUNTIME_REAL_TIMERS_H_

#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace lab::detail {

class RealTimers {
 public:
  // A one-shot timer that can be re-armed; owned by one task.
  class Timer {
   public:
    explicit Timer(RealTimers& service) : timer_(service.io_) {}
    // Calls `fire()` on a service thread at `when`, unless Cancel or another Arm comes first.
    template <class Fire>
    void Arm(std::chrono::steady_clock::time_point when, Fire fire) {
      timer_.expires_at(when);  // also withdraws a pending callback
      timer_.async_wait([fire = std::move(fire)](const boost::system::error_code& error) mutable {
        if (!error) fire();  // error: cancelled or re-armed
      });
    }
    // Withdraws the pending callback (harmless when it already ran or is running).
    void Cancel() { timer_.cancel(); }

   private:
    boost::asio::steady_timer timer_;
  };

  explicit RealTimers(int threads);
  // Joins the threads. REQUIRES: every Timer was destroyed first.
  ~RealTimers();
  RealTimers(const RealTimers&) = delete;
  RealTimers& operator=(const RealTimers&) = delete;

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_REAL_TIMERS_H_
